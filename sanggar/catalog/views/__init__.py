"""The catalog's admin pages (admin only): membership plans, products, categories and coupons."""
