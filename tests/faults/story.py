"""The file every fault scenario ingests: a small newsroom day in four languages.

Written for these tests (none of it is taken from real articles): 50 articles in English,
Urdu, Persian and Arabic, quoting 50 people no alias knows and two registered speakers, who
assert or deny five claims or talk about something else. Each new name is quoted in three
articles, mostly neighbours in the file, so two workers taking consecutive articles race to
create the same speaker.

Each person always carries the same title, and no two names are spelled close enough for
fuzzy resolution to take one for the other: which article happens to create a speaker then
changes nothing, so any order of extraction must end in the `--sync` result.
"""

from __future__ import annotations

import json
import random
from dataclasses import dataclass
from pathlib import Path

# (name, title written before it; "" for none). Invented names.
NEW_SPEAKERS: dict[str, list[tuple[str, str]]] = {
    "en": [
        ("Tobias Wrenfield", "Foreign Minister"),
        ("Harriet Quayle", ""),
        ("Ignatius Marlowe", "Governor"),
        ("Priya Ramanathan", ""),
        ("Desmond Achterberg", "Spokesman"),
        ("Lucinda Farrowby", ""),
        ("Okonkwo Adeyemi", "Ambassador"),
        ("Rosalind Teague", ""),
        ("Bartholomew Nkemelu", "Secretary"),
        ("Svetlana Brightwater", ""),
        ("Caspian Holloway", "Chairman"),
        ("Philippa Osei", ""),
        ("Mortimer Vance", "General"),
        ("Annika Lindqvist", ""),
        ("Gideon Mbatha", "Minister"),
        ("Felicity Drummond", ""),
        ("Rajesh Kulkarni", "Spokesperson"),
        ("Imogen Castellano", ""),
        ("Thaddeus Orme", "President"),
        ("Wilhelmina Sato", ""),
    ],
    "ur": [
        ("نادیہ قریشی", "وزیر خزانہ"),
        ("فرحان ملک", ""),
        ("ثمینہ بخاری", "ترجمان"),
        ("عدنان چوہدری", ""),
        ("رضوانہ اعوان", "مشیر"),
        ("کامران عباسی", ""),
        ("شازیہ گیلانی", "گورنر"),
        ("وقاص ہمدانی", ""),
        ("بشریٰ نقوی", "سفیر"),
        ("زاہد لغاری", ""),
    ],
    "fa": [
        ("بهرام نیک‌نام", "وزیر دفاع"),
        ("شیرین مهدوی", ""),
        ("کاوه رستمی", "سخنگوی دولت"),
        ("پریسا سلطانی", ""),
        ("مسعود افشار", "استاندار"),
        ("نگار یزدانی", ""),
        ("فرهاد کیانی", "سفیر"),
        ("ژاله توکلی", ""),
        ("امید شریفی", "وزیر دفاع"),
        ("مهتاب قربانی", ""),
    ],
    "ar": [
        ("سامي الخطيب", "وزير النقل"),
        ("ليلى الحسيني", ""),
        ("نبيل العمري", "المتحدث الرسمي"),
        ("هالة الشامي", ""),
        ("يوسف الدباغ", "وزير الداخلية"),
        ("رنا القاسم", ""),
        ("عماد الزعبي", "السفير"),
        ("منى الكردي", ""),
        ("طارق النابلسي", "وزير النقل"),
        ("سلمى العطار", ""),
    ],
}

# Registered before the run, with an alias in each script they are written in.
REGISTERED: list[tuple[str, list[str]]] = [
    ("Margaret Ellison", ["Margaret Ellison"]),
    ("Javad Sohrabi", ["Javad Sohrabi", "جواد سهرابی", "جواد سہرابی", "جواد سهرابي"]),
]
# How each language's articles spell them.
REGISTERED_IN = {
    "en": "Margaret Ellison",
    "ur": "جواد سہرابی",
    "fa": "جواد سهرابی",
    "ar": "جواد سهرابي",
}


@dataclass(frozen=True)
class ClaimText:
    external_id: str
    # Per language: the claim's wording, which statements assert as it stands and deny with
    # the language's denial verb.
    wording: dict[str, str]


CLAIMS = [
    ClaimText(
        "fault-rail",
        {
            "en": "the northern rail line will reopen in March",
            "ur": "شمالی ریلوے لائن مارچ میں دوبارہ کھل جائے گی",
            "fa": "خط آهن شمال در اسفند دوباره باز می‌شود",
            "ar": "خط السكك الحديدية الشمالي سيعاد فتحه في مارس",
        },
    ),
    ClaimText(
        "fault-fuel",
        {
            "en": "the government will raise fuel prices next month",
            "ur": "حکومت اگلے مہینے پٹرول کی قیمتیں بڑھائے گی",
            "fa": "دولت ماه آینده قیمت بنزین را افزایش می‌دهد",
            "ar": "الحكومة سترفع أسعار الوقود الشهر المقبل",
        },
    ),
    ClaimText(
        "fault-dam",
        {
            "en": "the river dam has cracked and may collapse",
            "ur": "دریا کے بند میں دراڑ پڑ گئی ہے اور وہ ٹوٹ سکتا ہے",
            "fa": "سد رودخانه ترک برداشته و ممکن است فرو بریزد",
            "ar": "سد النهر تشقق وقد ينهار",
        },
    ),
    ClaimText(
        "fault-bank",
        {
            "en": "the central bank printed money to pay the budget deficit",
            "ur": "مرکزی بینک نے بجٹ خسارہ پورا کرنے کے لیے نوٹ چھاپے",
            "fa": "بانک مرکزی برای جبران کسری بودجه پول چاپ کرد",
            "ar": "البنك المركزي طبع النقود لسد عجز الميزانية",
        },
    ),
    ClaimText(
        "fault-troops",
        {
            "en": "foreign troops are stationed at the city airport",
            "ur": "غیر ملکی فوجی شہر کے ہوائی اڈے پر تعینات ہیں",
            "fa": "نیروهای خارجی در فرودگاه شهر مستقر هستند",
            "ar": "قوات أجنبية متمركزة في مطار المدينة",
        },
    ),
]

# What people say when they are not talking about a claim.
ASIDES = {
    "en": [
        "the new school year will start on time",
        "the football team trained well before the final",
        "the museum will stay open late on Fridays",
        "farmers expect a good apple harvest this autumn",
        "the library has bought two thousand new books",
        "the marathon route will pass the old harbour",
    ],
    "ur": [
        "نیا تعلیمی سال وقت پر شروع ہوگا",
        "کرکٹ ٹیم نے فائنل سے پہلے اچھی مشق کی",
        "عجائب گھر جمعہ کو دیر تک کھلا رہے گا",
        "کسانوں کو اس سال آم کی اچھی فصل کی امید ہے",
    ],
    "fa": [
        "سال تحصیلی جدید به موقع آغاز می‌شود",
        "تیم فوتبال پیش از فینال به خوبی تمرین کرد",
        "موزه جمعه‌ها تا دیروقت باز می‌ماند",
        "کشاورزان امسال انتظار برداشت خوب پسته دارند",
    ],
    "ar": [
        "العام الدراسي الجديد سيبدأ في موعده",
        "فريق كرة القدم تدرب جيدا قبل النهائي",
        "المتحف سيبقى مفتوحا حتى وقت متأخر أيام الجمعة",
        "المزارعون يتوقعون موسما جيدا للزيتون هذا العام",
    ],
}

BACKGROUND = {
    "en": "The session of the city council ended late in the evening.",
    "ur": "اجلاس شام تک جاری رہا۔",
    "fa": "این نشست تا عصر ادامه داشت.",
    "ar": "واستمر الاجتماع حتى المساء.",
}

CHUNK = 5
ARTICLES_PER_LANGUAGE = {"en": 20, "ur": 10, "fa": 10, "ar": 10}
SOURCES = {
    "en": "Harbour Gazette",
    "ur": "Roznama Misaal",
    "fa": "Khabar-e Shahr",
    "ar": "Al-Madina",
}


def _fa_named(name: str, title: str) -> str:
    # The office first, the name set off by commas, as Persian agencies write it.
    return f"{title}، {name}،" if title else name


def _said(language: str, name: str, title: str, clause: str) -> str:
    named = f"{title} {name}".strip()
    return {
        "en": f"{named} said that {clause}.",
        "ur": f"{named} نے کہا کہ {clause}۔",
        "fa": f"{_fa_named(name, title)} در گفتگو با خبرنگاران گفت: {clause}.",
        "ar": f"وقال {named} إن {clause}.",
    }[language]


def _denied(language: str, name: str, title: str, clause: str) -> str:
    named = f"{title} {name}".strip()
    return {
        "en": f"{named} denied that {clause}.",
        "ur": f"{named} نے اس بات کی تردید کی کہ {clause}۔",
        "fa": f"{_fa_named(name, title)} در گفتگو با خبرنگاران این ادعا را که {clause} تکذیب کرد.",
        "ar": f"ونفى {named} أن {clause}.",
    }[language]


def articles() -> list[dict[str, str]]:
    """The file's records in file order: the feeds' articles in runs of CHUNK, one language
    after another, so neighbouring articles share new names."""
    rng = random.Random(10)
    by_language: dict[str, list[dict[str, str]]] = {}
    for language, count in ARTICLES_PER_LANGUAGE.items():
        people = NEW_SPEAKERS[language]
        rows = []
        for n in range(count):
            # Three people per article, two of them also in the next: each name is quoted in
            # three neighbouring articles (the last names also in the first articles).
            quoted = [people[(n + k) % len(people)] for k in range(3)]
            sentences = []
            for name, title in quoted:
                roll = rng.random()
                claim = rng.choice(CLAIMS).wording[language]
                if roll < 0.4:
                    sentences.append(_said(language, name, title, claim))
                elif roll < 0.65:
                    sentences.append(_denied(language, name, title, claim))
                else:
                    sentences.append(_said(language, name, title, rng.choice(ASIDES[language])))
            if n % 4 == 0:
                claim = rng.choice(CLAIMS).wording[language]
                sentences.append(_denied(language, REGISTERED_IN[language], "", claim))
            sentences.insert(1, BACKGROUND[language])
            rows.append(
                {
                    "url": f"https://{language}.faults.example/{n}",
                    "source": SOURCES[language],
                    "title": f"{language}-{n}",
                    "body": " ".join(sentences),
                    "published_at": f"2025-03-{1 + n % 28:02d}",
                    "language": language,
                }
            )
        by_language[language] = rows
    ordered = []
    for first in range(0, max(ARTICLES_PER_LANGUAGE.values()), CHUNK):
        for rows in by_language.values():
            ordered += rows[first : first + CHUNK]
    return ordered


def claims_file_rows() -> list[dict[str, object]]:
    return [
        {
            "id": claim.external_id,
            "text": claim.wording["en"][0].upper() + claim.wording["en"][1:],
            "language": "en",
            "variants": [
                {"language": language, "text": text}
                for language, text in claim.wording.items()
                if language != "en"
            ],
        }
        for claim in CLAIMS
    ]


def write_jsonl(path: Path, rows: list[dict]) -> Path:
    path.write_text(
        "\n".join(json.dumps(row, ensure_ascii=False) for row in rows) + "\n", encoding="utf-8"
    )
    return path
