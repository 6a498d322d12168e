"""The application wizard: its steps, forms, rules, storage, employer link and signatures."""
