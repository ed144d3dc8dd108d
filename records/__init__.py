"""Record bundles: import and export of an organisation's records as CSV files, with
every row checked as the forms check it, all or nothing."""
