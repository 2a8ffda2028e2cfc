"""Statistics of the one-stop shop: figures per unit, procedure, field and period, the Decision 766
components we can compute, and the dossier register (Sổ theo dõi hồ sơ)."""
