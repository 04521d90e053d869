"""What people see: the live overlay, and the reports of an analysis (JSON schema, HTML page, plots)."""
