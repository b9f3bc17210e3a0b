"""Django's password rules with the platform's own Indonesian texts (capitalised "Anda", like every other page):
the same checks, clearer words, and a help text the signup page shows as a styled list."""

from django.contrib.auth import password_validation as django_rules
from django.utils.translation import gettext as _


class UserAttributeSimilarityValidator(django_rules.UserAttributeSimilarityValidator):
    def get_error_message(self):
        return _("Kata sandi terlalu mirip dengan %(verbose_name)s Anda.")

    def get_help_text(self):
        return _("Tidak mirip dengan nama atau email Anda.")


class MinimumLengthValidator(django_rules.MinimumLengthValidator):
    def get_error_message(self):
        return _("Kata sandi terlalu pendek: minimal %d karakter.") % self.min_length

    def get_help_text(self):
        return _("Minimal %(min_length)d karakter.") % {"min_length": self.min_length}


class CommonPasswordValidator(django_rules.CommonPasswordValidator):
    def get_error_message(self):
        return _("Kata sandi ini terlalu umum dan mudah ditebak.")

    def get_help_text(self):
        return _("Bukan kata sandi yang umum dipakai.")


class NumericPasswordValidator(django_rules.NumericPasswordValidator):
    def get_error_message(self):
        return _("Kata sandi tidak boleh hanya berisi angka.")

    def get_help_text(self):
        return _("Tidak hanya berisi angka.")
