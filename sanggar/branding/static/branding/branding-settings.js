/* Live preview for the branding settings page (Warna & Tema, Komponen UI tabs).
   The same WCAG maths as sanggar/branding/colors.py; the server still validates on save. */
(function () {
  "use strict";

  var CSS_VARS = {
    "brand-primary": "primary_color",
    "brand-primary-text": "primary_text_color",
    "brand-primary-hover": "primary_hover_color",
    "brand-secondary": "secondary_color",
    "brand-secondary-text": "secondary_text_color",
    "brand-sidebar-bg": "sidebar_bg",
    "brand-sidebar-text": "sidebar_text",
    "brand-sidebar-active-bg": "sidebar_active_bg",
    "brand-sidebar-active-text": "sidebar_active_text",
    "brand-card-bg": "card_bg",
    "brand-page-bg": "page_bg"
  };

  function normalizeHex(value) {
    var match = /^\s*#?([0-9a-f]{3}|[0-9a-f]{6})\s*$/i.exec(value || "");
    if (!match) return null;
    var digits = match[1].toUpperCase();
    if (digits.length === 3) digits = digits.replace(/(.)/g, "$1$1");
    return "#" + digits;
  }

  function channel(value) {
    var c = value / 255;
    return c <= 0.04045 ? c / 12.92 : Math.pow((c + 0.055) / 1.055, 2.4);
  }

  function luminance(hex) {
    var r = parseInt(hex.slice(1, 3), 16), g = parseInt(hex.slice(3, 5), 16), b = parseInt(hex.slice(5, 7), 16);
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b);
  }

  function contrast(a, b) {
    var la = luminance(a), lb = luminance(b);
    return (Math.max(la, lb) + 0.05) / (Math.min(la, lb) + 0.05);
  }

  window.brandingTheme = function (configId) {
    var config = JSON.parse(document.getElementById(configId).textContent);
    return {
      c: config.colors,
      saved: config.saved,
      radius: String(config.radius),
      pairs: config.pairs,
      minRatio: config.minRatio,
      hex: function (name) {
        if (name.charAt(0) === "#") return name;
        return normalizeHex(this.c[name]) || this.saved[name];
      },
      pickerValue: function (name) {
        return this.hex(name).toLowerCase();
      },
      radiusPx: function () {
        var n = parseInt(this.radius, 10);
        return (n >= 0 && n <= 24 ? n : config.radius) + "px";
      },
      previewStyle: function () {
        var parts = [];
        for (var cssName in CSS_VARS) parts.push("--" + cssName + ":" + this.hex(CSS_VARS[cssName]));
        parts.push("--brand-radius:" + this.radiusPx());
        parts.push("border-radius:var(--brand-radius)");
        return parts.join(";");
      },
      ratio: function (index) {
        var pair = this.pairs[index];
        return contrast(this.hex(pair.text), this.hex(pair.background));
      },
      ratioText: function (index) {
        return this.ratio(index).toFixed(2).replace(".", ",") + ":1";
      },
      passes: function (index) {
        return this.ratio(index) >= this.minRatio;
      }
    };
  };
})();
