"""Countries buyers come from (ISO 3166-1 alpha-2 → Indonesian name); the flag is derived from the code."""

COUNTRIES = {
    "AE": "Uni Emirat Arab",
    "AF": "Afganistan",
    "AR": "Argentina",
    "AT": "Austria",
    "AU": "Australia",
    "BD": "Bangladesh",
    "BE": "Belgia",
    "BH": "Bahrain",
    "BN": "Brunei Darussalam",
    "BR": "Brasil",
    "CA": "Kanada",
    "CH": "Swiss",
    "CL": "Chili",
    "CN": "Tiongkok",
    "CO": "Kolombia",
    "CZ": "Ceko",
    "DE": "Jerman",
    "DK": "Denmark",
    "DZ": "Aljazair",
    "EG": "Mesir",
    "ES": "Spanyol",
    "ET": "Etiopia",
    "FI": "Finlandia",
    "FR": "Prancis",
    "GB": "Inggris",
    "GH": "Ghana",
    "GR": "Yunani",
    "HK": "Hong Kong",
    "HU": "Hongaria",
    "ID": "Indonesia",
    "IE": "Irlandia",
    "IL": "Israel",
    "IN": "India",
    "IQ": "Irak",
    "IR": "Iran",
    "IT": "Italia",
    "JO": "Yordania",
    "JP": "Jepang",
    "KE": "Kenya",
    "KH": "Kamboja",
    "KR": "Korea Selatan",
    "KW": "Kuwait",
    "KZ": "Kazakhstan",
    "LB": "Lebanon",
    "LK": "Sri Lanka",
    "MA": "Maroko",
    "MM": "Myanmar",
    "MX": "Meksiko",
    "MY": "Malaysia",
    "NG": "Nigeria",
    "NL": "Belanda",
    "NO": "Norwegia",
    "NZ": "Selandia Baru",
    "OM": "Oman",
    "PE": "Peru",
    "PH": "Filipina",
    "PK": "Pakistan",
    "PL": "Polandia",
    "PT": "Portugal",
    "QA": "Qatar",
    "RO": "Rumania",
    "RU": "Rusia",
    "SA": "Arab Saudi",
    "SE": "Swedia",
    "SG": "Singapura",
    "TH": "Thailand",
    "TN": "Tunisia",
    "TR": "Turki",
    "TW": "Taiwan",
    "TZ": "Tanzania",
    "UA": "Ukraina",
    "US": "Amerika Serikat",
    "UY": "Uruguay",
    "UZ": "Uzbekistan",
    "VN": "Vietnam",
    "YE": "Yaman",
    "ZA": "Afrika Selatan",
}

# Names people type in an import file → code (lower case; English and Indonesian).
ALIASES = {
    "usa": "US",
    "united states": "US",
    "united states of america": "US",
    "amerika": "US",
    "uk": "GB",
    "united kingdom": "GB",
    "england": "GB",
    "china": "CN",
    "cina": "CN",
    "japan": "JP",
    "korea": "KR",
    "south korea": "KR",
    "germany": "DE",
    "netherlands": "NL",
    "holland": "NL",
    "france": "FR",
    "spain": "ES",
    "italy": "IT",
    "saudi arabia": "SA",
    "uae": "AE",
    "united arab emirates": "AE",
    "dubai": "AE",
    "egypt": "EG",
    "turkey": "TR",
    "turkiye": "TR",
    "india": "IN",
    "vietnam": "VN",
    "viet nam": "VN",
    "thailand": "TH",
    "malaysia": "MY",
    "singapore": "SG",
    "philippines": "PH",
    "australia": "AU",
    "new zealand": "NZ",
    "canada": "CA",
    "mexico": "MX",
    "brazil": "BR",
    "russia": "RU",
    "south africa": "ZA",
    "belgium": "BE",
    "switzerland": "CH",
    "sweden": "SE",
    "norway": "NO",
    "poland": "PL",
    "taiwan": "TW",
    "hong kong": "HK",
    "morocco": "MA",
    "nigeria": "NG",
    "kenya": "KE",
    "pakistan": "PK",
    "bangladesh": "BD",
    "qatar": "QA",
    "kuwait": "KW",
    "oman": "OM",
    "jordan": "JO",
    "iraq": "IQ",
    "iran": "IR",
}

COUNTRY_CHOICES = sorted(COUNTRIES.items(), key=lambda item: item[1])


def flag(code: str) -> str:
    """ "JP" → 🇯🇵 (regional indicator symbols)."""
    code = (code or "").upper()
    if len(code) != 2 or not code.isalpha():
        return ""
    return "".join(chr(0x1F1E6 + ord(c) - ord("A")) for c in code)


def country_name(code: str) -> str:
    return COUNTRIES.get((code or "").upper(), code or "")


def country_code(value: str) -> str:
    """A code, an Indonesian name or a common English name → the code; "" when unknown."""
    text = (value or "").strip()
    if text.upper() in COUNTRIES:
        return text.upper()
    lower = text.lower()
    if lower in ALIASES:
        return ALIASES[lower]
    for code, name in COUNTRIES.items():
        if name.lower() == lower:
            return code
    return ""
