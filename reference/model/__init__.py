"""Model specifications: what a student may fit, validated against the data."""
