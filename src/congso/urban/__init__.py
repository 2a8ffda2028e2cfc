"""Urban management: construction order, site clearance, field reports."""
