"""Fill a .po file from a {msgid: msgstr} dict (msgstr may be [singular] for plurals)."""
import json, sys, polib
po_path, dict_path = sys.argv[1], sys.argv[2]
tr = json.load(open(dict_path))
po = polib.pofile(po_path)
po.metadata["Plural-Forms"] = "nplurals=1; plural=0;"
po.metadata["Language"] = "zh_Hans"
po.metadata["Content-Type"] = "text/plain; charset=UTF-8"
missing = []
for e in po:
    if e.msgid in tr:
        v = tr[e.msgid]
        if e.msgid_plural:
            e.msgstr_plural = {0: v[0] if isinstance(v, list) else v}
        else:
            e.msgstr = v
        if "fuzzy" in e.flags: e.flags.remove("fuzzy")
    elif not (e.msgstr or e.msgstr_plural.get(0)):
        missing.append(e.msgid)
po.save()
po.save_as_mofile(po_path[:-3] + ".mo")
print("missing:", json.dumps(missing, ensure_ascii=False, indent=0))
