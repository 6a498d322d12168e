"""Payment providers behind one interface (base.PaymentProvider), chosen per method in settings."""
