/* Catalog admin pages: the rich-text editor (plan and product descriptions) and the repeated-row editors
   (price options, features, FAQ, follow-up steps). Alpine components; the server validates and sanitises
   everything again on save. Loaded at the end of <body>, before Alpine (deferred) starts. */
(function () {
  "use strict";

  var nextKey = 1;

  function readConfig(id) {
    var node = document.getElementById(id);
    return node ? JSON.parse(node.textContent) : { rows: [], errors: {}, blank: {} };
  }

  function clone(obj) {
    return JSON.parse(JSON.stringify(obj));
  }

  /* x-data="catalogRows('config-id', 'prices')": rows posted as <prefix>-count and <prefix>-<i>-<field>;
     errors from the server are keyed "<errorPrefix>.<i>.<field>" (or "<errorPrefix>.<i>"). */
  window.catalogRows = function (configId, errorPrefix) {
    var config = readConfig(configId);
    return {
      rows: (config.rows || []).map(function (row) {
        row._key = nextKey++;
        return row;
      }),
      errors: config.errors || {},
      blank: config.blank || {},
      options: config,
      add: function () {
        var row = clone(this.blank);
        row._key = nextKey++;
        this.rows.push(row);
        this.errors = {};
        var self = this;
        this.$nextTick(function () {
          var rows = self.$root.querySelectorAll("[data-row]");
          if (!rows.length) return;
          var field = rows[rows.length - 1].querySelector("input:not([type=hidden]), select, textarea");
          if (field) field.focus();
        });
      },
      remove: function (index) {
        this.rows.splice(index, 1);
        this.errors = {};
      },
      move: function (index, delta) {
        var target = index + delta;
        if (target < 0 || target >= this.rows.length) return;
        var row = this.rows.splice(index, 1)[0];
        this.rows.splice(target, 0, row);
        this.errors = {};
      },
      err: function (index, field) {
        var key = errorPrefix + "." + index + (field ? "." + field : "");
        return (this.errors[key] || []).join(" ");
      },
      listErrors: function () {
        return (this.errors[errorPrefix] || []).join(" ");
      },
      rupiah: function (value) {
        var text = String(value || "").trim().replace(/^Rp\s*/i, "");
        if (!/^(\d+|\d{1,3}(\.\d{3})+)$/.test(text)) return "";
        return "Rp " + Number(text.replace(/\./g, "")).toLocaleString("id-ID");
      }
    };
  };

  var SAFE_URL = /^(https?:\/\/|mailto:)/i;

  /* x-data="catalogRichText()" around a toolbar, a contenteditable [x-ref=editor] and a hidden
     <textarea x-ref=input name=...> that is posted. */
  window.catalogRichText = function () {
    return {
      linkOpen: false,
      linkUrl: "",
      linkError: "",
      savedRange: null,
      state: {},
      init: function () {
        this.$refs.editor.innerHTML = this.$refs.input.value;
        var self = this;
        document.addEventListener("selectionchange", function () {
          if (document.activeElement === self.$refs.editor) self.refreshState();
        });
      },
      sync: function () {
        var html = this.$refs.editor.innerHTML;
        this.$refs.input.value = this.$refs.editor.textContent.trim() ? html : "";
      },
      refreshState: function () {
        var names = ["bold", "italic", "underline", "strikeThrough", "insertUnorderedList", "insertOrderedList"];
        var state = {};
        names.forEach(function (name) {
          try {
            state[name] = document.queryCommandState(name);
          } catch (e) {
            state[name] = false;
          }
        });
        var block = "";
        try {
          block = String(document.queryCommandValue("formatBlock") || "").toLowerCase();
        } catch (e) {
          block = "";
        }
        state.block = block;
        this.state = state;
      },
      cmd: function (name, value) {
        this.$refs.editor.focus();
        document.execCommand(name, false, value || null);
        this.sync();
        this.refreshState();
      },
      block: function (tag) {
        var current = (this.state.block || "").replace(/[<>]/g, "");
        this.cmd("formatBlock", current === tag ? "p" : tag);
      },
      paste: function (event) {
        var text = (event.clipboardData || window.clipboardData).getData("text/plain");
        document.execCommand("insertText", false, text);
        this.sync();
      },
      openLink: function () {
        var selection = window.getSelection();
        if (selection.rangeCount && this.$refs.editor.contains(selection.anchorNode)) {
          this.savedRange = selection.getRangeAt(0).cloneRange();
        } else {
          this.savedRange = null;
        }
        this.linkUrl = "https://";
        this.linkError = "";
        this.linkOpen = true;
        var self = this;
        this.$nextTick(function () {
          self.$refs.link.focus();
          self.$refs.link.select();
        });
      },
      applyLink: function () {
        var url = this.linkUrl.trim();
        if (!SAFE_URL.test(url) || url === "https://") {
          this.linkError = this.$refs.link.dataset.error;
          return;
        }
        this.$refs.editor.focus();
        var selection = window.getSelection();
        if (this.savedRange) {
          selection.removeAllRanges();
          selection.addRange(this.savedRange);
        }
        if (selection.isCollapsed) {
          document.execCommand("insertHTML", false, '<a href="' + url.replace(/"/g, "&quot;") + '">' +
            url.replace(/&/g, "&amp;").replace(/</g, "&lt;") + "</a>");
        } else {
          document.execCommand("createLink", false, url);
        }
        this.linkOpen = false;
        this.sync();
      },
      cancelLink: function () {
        this.linkOpen = false;
        this.$refs.editor.focus();
      }
    };
  };
})();
