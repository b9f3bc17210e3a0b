"""Where uploaded files live: the local disk (MEDIA_ROOT) by default, any S3-compatible store when `S3_BUCKET` is set
(django-storages), so several web and worker machines see the same files.

One bucket holds both kinds of file, told apart by name:

- **public** media are the names under PUBLIC_MEDIA_PREFIXES (avatars, logos, plan and product images, course,
  group, profile and event covers, banners, testimonials, bank logos): what a visitor's page shows.
- everything else is **private** (`private/...`: product files, transfer proofs, tickets, documents, submissions;
  the affiliates' marketing kit; community images) and never public. After its own access check the platform
  answers with a signed S3 link valid for `PRIVATE_LINK_TTL_SECONDS` (`sanggar.core.files.private_file_response`);
  the object is stored with `Cache-Control: private, no-store`.
- Public media get a plain, unsigned URL (under `S3_PUBLIC_URL`, e.g. a CDN, when set) and
  `Cache-Control: public, max-age=MEDIA_CACHE_SECONDS`. The bucket (or the CDN) allows anonymous reads of these
  prefixes only (README "Deploying" gives the bucket policy; `manage.py s3_public_policy` prints it).
"""

from __future__ import annotations

from django.conf import settings
from storages.backends.s3 import S3Storage
from storages.utils import clean_name

PUBLIC_MEDIA_PREFIXES = (
    "avatars/",
    "branding/",
    "catalog/plans/",
    "catalog/products/",
    "courses/covers/",
    "banners/",
    "testimonials/",
    "bank-logos/",
    "community/groups/",  # group covers and avatars: shown on group lists like course covers (random names)
    "community/profiles/",  # profile covers: shown on profiles beside the public avatar (random names)
    "events/covers/",  # event covers: shown on event pages and lists like course covers (random names)
)


def is_private_name(name: str) -> bool:
    return not clean_name(name).lstrip("/").startswith(PUBLIC_MEDIA_PREFIXES)


def public_read_policy(bucket: str, prefix: str = "") -> dict:
    """The bucket policy that lets anyone read the public media and nothing else."""
    base = f"{prefix.strip('/')}/" if prefix.strip("/") else ""
    return {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Sid": "SanggarPublicMedia",
                "Effect": "Allow",
                "Principal": "*",
                "Action": "s3:GetObject",
                "Resource": [f"arn:aws:s3:::{bucket}/{base}{p}*" for p in PUBLIC_MEDIA_PREFIXES],
            }
        ],
    }


class SanggarS3Storage(S3Storage):
    """S3Storage with the private/public split above. Options come from settings.STORAGES (all from env)."""

    def __init__(self, **options):
        self.public_url = (options.pop("public_url", "") or "").rstrip("/")
        self.public_max_age = int(options.pop("public_max_age", 86400))
        options.setdefault("querystring_auth", True)
        options.setdefault("default_acl", None)  # the bucket policy decides; many S3-compatible stores have no ACLs
        options.setdefault("file_overwrite", False)
        super().__init__(**options)

    def get_object_parameters(self, name):
        params = super().get_object_parameters(name)
        if is_private_name(name):
            params.setdefault("CacheControl", "private, no-store")
        else:
            params.setdefault("CacheControl", f"public, max-age={self.public_max_age}")
        return params

    def url(self, name, parameters=None, expire=None, http_method=None):
        if is_private_name(name):
            ttl = expire if expire is not None else settings.PRIVATE_LINK_TTL_SECONDS
            return super().url(name, parameters=parameters, expire=ttl, http_method=http_method)
        key = self._normalize_name(clean_name(name))
        if self.public_url:
            from django.utils.encoding import filepath_to_uri

            return f"{self.public_url}/{filepath_to_uri(key)}"
        client = self.unsigned_connection.meta.client
        return client.generate_presigned_url("get_object", Params={"Bucket": self.bucket_name, "Key": key})


def is_remote(storage) -> bool:
    """True when files are not on this machine's disk (signed redirects instead of streaming)."""
    return isinstance(storage, S3Storage)
