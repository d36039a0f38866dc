"""Fill a zh_Hans catalogue from a JSON object {msgid: msgstr} and compile it.

Usage: .venv/bin/python scripts/po-fill.py lianxin/<app>/locale/zh_Hans/LC_MESSAGES/django.po
       translations.json
For a plural entry give the one Chinese form as a string. Prints the msgids still untranslated.
"""

import json
import sys
from pathlib import Path

import polib

po_path, dict_path = sys.argv[1], sys.argv[2]
translations = json.loads(Path(dict_path).read_text(encoding="utf-8"))
po = polib.pofile(po_path)
po.metadata.update(
    {
        "Plural-Forms": "nplurals=1; plural=0;",
        "Language": "zh_Hans",
        "Content-Type": "text/plain; charset=UTF-8",
    }
)
missing = []
for entry in po:
    if entry.msgid in translations:
        value = translations[entry.msgid]
        value = value[0] if isinstance(value, list) else value
        if entry.msgid_plural:
            entry.msgstr_plural = {0: value}
        else:
            entry.msgstr = value
        if "fuzzy" in entry.flags:
            entry.flags.remove("fuzzy")
    elif not (entry.msgstr or entry.msgstr_plural.get(0)):
        missing.append(entry.msgid)
po.save()
po.save_as_mofile(po_path[:-3] + ".mo")
print("untranslated:", json.dumps(missing, ensure_ascii=False, indent=0))
