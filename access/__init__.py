"""Who may see what: the roles, the rules of client-file and health-data access and the
break-glass grant. Above the domain (it reads assignments and employment) and below
everything that shows client data, which asks it through `access.rules`."""
