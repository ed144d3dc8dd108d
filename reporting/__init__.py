"""The council report: registered statistics computed by aggregation from the records,
each with its definition, and the page, API and command that show them. Reads the
domain; the desk shows its statistics instead of computing figures twice."""
