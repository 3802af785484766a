"""Per-language words of reported speech in Urdu, Persian and Arabic, one module a language.

The finder (claims/services/reported_speech/) reads sentences by their structure: Urdu puts
the speaker before نے / کا کہنا / کے مطابق, Persian opens the sentence with the speaker and
closes it with the verb, Arabic puts the verb first and the speaker after it. What varies
between outlets and years is vocabulary, and all of it is here: reporting verbs (with the
stance they give their clause), titles and offices, the heads of organisation names, unnamed
sources, and the words that end a speaker phrase. `common` holds the Lexicon type and how
words and phrases are normalised and looked up.
"""

from __future__ import annotations

from claims.services.lexicon.arabic import AR
from claims.services.lexicon.common import Lexicon
from claims.services.lexicon.persian import FA
from claims.services.lexicon.urdu import UR

LEXICONS: dict[str, Lexicon] = {"ur": UR, "fa": FA, "ar": AR}
