"""The catalog's business writes (admin CRUD of plans, products, categories and coupons) and the checks that
checkout and orders call (`coupon_check`, `product_stock_take` / `product_stock_release`).

Split by subject; import from here: `from sanggar.catalog.services import coupon_check`."""

from .categories import category_create, category_delete, category_update
from .coupons import (
    COUPON_FIELDS,
    CouponCheck,
    CouponLine,
    coupon_check,
    coupon_create,
    coupon_issue,
    coupon_update,
    coupon_uses,
    normalize_code,
)
from .followups import FollowUpInput, follow_ups_clean
from .plans import (
    PLAN_FIELDS,
    PriceInput,
    plan_content_set,
    plan_create,
    plan_features_set,
    plan_prices_set,
    plan_update,
)
from .product_media import (
    product_file_add,
    product_file_remove,
    product_gallery_add,
    product_gallery_remove,
)
from .products import (
    PRODUCT_FIELDS,
    FaqInput,
    product_create,
    product_update,
)
from .resources import placeholder_kind_choices, resource_placeholder_create
from .stock import product_stock_release, product_stock_take

__all__ = [
    "COUPON_FIELDS",
    "PLAN_FIELDS",
    "PRODUCT_FIELDS",
    "CouponCheck",
    "CouponLine",
    "FaqInput",
    "FollowUpInput",
    "follow_ups_clean",
    "PriceInput",
    "category_create",
    "category_delete",
    "category_update",
    "coupon_check",
    "coupon_create",
    "coupon_issue",
    "coupon_update",
    "coupon_uses",
    "normalize_code",
    "placeholder_kind_choices",
    "plan_content_set",
    "plan_create",
    "plan_features_set",
    "plan_prices_set",
    "plan_update",
    "product_create",
    "product_file_add",
    "product_file_remove",
    "product_gallery_add",
    "product_gallery_remove",
    "product_stock_release",
    "product_stock_take",
    "product_update",
    "resource_placeholder_create",
]
