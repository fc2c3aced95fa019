"""The staff admin. Registrations live in one module per part of the domain."""
