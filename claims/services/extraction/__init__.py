"""Statement extraction: find who said what in an article, with exact offsets, and store it.

One module per stage:

- `finding`: pure, text in and `Found` statements out (no database). Urdu, Persian and
  Arabic are read by their structure (claims/services/reported_speech/); English, Russian
  and Azerbaijani by speech-verb cues (`cue_finding`, rules in
  claims/services/extraction_rules.py). `spans` holds what both finders share.
- `resolving`: the speaker index the finders look names up in, and found names turned
  into Speaker rows (an unknown name becomes an unconfirmed speaker).
- `storing`: `article_extract` takes a pending article, finds, stores and records its
  statements once, and hands them to claim linking.
- `sweeping`: queues again the articles whose extraction message was lost.
"""
