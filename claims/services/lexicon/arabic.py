"""Arabic words of reported speech: the verb opens the sentence and the speaker follows it
(read by claims/services/reported_speech/arabic.py)."""

from __future__ import annotations

from claims.services.lexicon.common import (
    ASSERTS,
    DENIES,
    QUESTIONS,
    Lexicon,
    Verb,
    phrases,
    verbs,
    words,
)
from sources.text import tokenise


def _ar(items: str, *, stance: str = "", content: str = "after") -> tuple[Verb, ...]:
    """Arabic past-tense verbs with و/ف, the feminine ـت and the plural ـوا forms."""
    forms = []
    for stem in (item.strip() for item in items.split("|")):
        head, *rest = stem.split()
        for prefix in ("", "و", "ف"):
            for suffix in ("", "ت", "وا"):
                word = head[:-1] + "ت" if suffix == "ت" and head.endswith("ى") else head + suffix
                forms.append(" ".join([prefix + word, *rest]))
    return verbs("|".join(forms), stance=stance, content=content)


def _ar_participles(items: str) -> tuple[Verb, ...]:
    """Circumstantial participles (مضيفا أن, معتبرا أن): the sentence's subject speaks."""
    forms = []
    for stem in (item.strip() for item in items.split("|")):
        for prefix in ("", "و"):
            for suffix in ("", "ة", "ين"):
                forms.append(prefix + (stem[:-1] if stem.endswith("ا") else stem) + suffix)
                forms.append(prefix + stem)
    return verbs("|".join(forms), participle=True)


AR = Lexicon(
    verbs=_ar(
        "قال | أضاف | أكد | أعلن | أوضح | ذكر | صرح | صرّح | كشف | أفاد | فاد | اعتبر | رأى | "
        "تابع | شدد | لفت | لفت النظر | لفت الانتباه | أشار | حذر | طالب | دعا | وصف | أبرز | "
        "نوه | أردف | استطرد | أعرب | أبلغ | أوردت | أورد | ختم | اختتم | لاحظ | جدد | أقر | "
        "اعترف | وعد | تعهد | هدد | أثنى | رحب"
    )
    + _ar("نفى | نفت | كذب | رفض | استبعد", stance=DENIES)
    + _ar("اتهم | زعم | ادعى | ادّعى", stance=ASSERTS)
    + _ar("تساءل | سأل", stance=QUESTIONS)
    + _ar_participles(
        "مضيفا | مؤكدا | معتبرا | مشيرا | موضحا | مبينا | متعهدا | معلنا | مطالبا | محذرا | "
        "لافتا | منوها | مشددا | قائلا | نافيا | مبرزا | متابعا"
    ),
    titles=phrases(
        "الرئيس",
        "رئيس",
        "رئيسة",
        "نائب الرئيس",
        "نائب رئيس",
        "رئيس الوزراء",
        "رئيسة الوزراء",
        "رئيس الحكومة",
        "رئيسة الحكومة",
        "الوزير",
        "وزير",
        "وزيرة",
        "الوزيرة",
        "الوزير الأول",
        "وزير الخارجية",
        "وزير الدفاع",
        "وزير الداخلية",
        "المتحدث",
        "المتحدثة",
        "الناطق",
        "الناطقة",
        "المتحدث الرسمي",
        "الناطق الرسمي",
        "السفير",
        "سفير",
        "النائب",
        "القيادي",
        "القيادية",
        "الأمين العام",
        "أمين عام",
        "المدير",
        "مدير",
        "المديرة",
        "مديرة",
        "المفتش",
        "الأمير",
        "الملك",
        "الشيخ",
        "الدكتور",
        "د",
        "العميد",
        "اللواء",
        "الجنرال",
        "العقيد",
        "قائد",
        "قائدة",
        "والي",
        "الوالي",
        "محافظ",
        "المحافظ",
        "المستشار",
        "مستشار",
        "عضو",
        "العضو",
        "رئيس مجلس",
        "المدرب",
        "مدرب",
        "الكاتب",
        "الخبير",
        "الباحث",
        "المحلل",
        "ممثل",
        "الممثل",
        "المبعوث",
        "مبعوث",
        "المنسق",
        "الأستاذ",
        "القاضي",
        "المدعي العام",
        "زعيم",
        "الزعيم",
        "رئيس حزب",
        "أمين",
        "وزيرة الداخلية",
        "رئيسة",
        "النائبة",
    ),
    org_heads=words(
        "وزارة الوزارة وكالة الوكالة صحيفة الصحيفة الشرطة الجيش المحكمة محكمة الحكومة "
        "السلطات رئاسة الرئاسة المرصد الادعاء النيابة حزب الحزب حركة الحركة كتلة الكتلة "
        "جمعية الجمعية منظمة المنظمة مجلس المجلس البيت الأبيض الخارجية الداخلية الديوان "
        "مكتب المكتب هيئة الهيئة اتحاد الاتحاد دائرة الدائرة مصلحة المصلحة قناة القناة إذاعة "
        "موقع الموقع شركة الشركة بنك البنك جامعة الجامعة"
    ),
    generic=words(
        "مصادر مصدر مسؤولون مسؤولين مسؤول خبراء تقارير شهود ناشطون ناشط مراقبون محللون "
        "متحدث مصادرنا أوساط دوائر بعض عدد مسؤولي مسؤولو"
    ),
    documents=words("بيان البيان تقرير التقرير رسالة الرسالة تدوينة"),
    pronouns=words("هو هي وهو وهي المصدر"),
    stop=words(
        "في خلال على عن من إلى الى مع لدى أمام عقب بعد قبل يوم اليوم امس أمس الليلة صباح "
        "مساء بداية نهاية الأسبوع الجاري الماضي السبت الأحد الاثنين الثلاثاء الأربعاء "
        "الاربعاء الخميس الجمعة أيضا ايضا كذلك "
        "إن أن ان بأن بان إنه أنه انه بأنه أنها إنها بأنها أنهم إنهم قوله لـ ل لوكالة لصحيفة "
        "لمراسل لراديو لقناة لموقع وفق حسب بحسب نقلا قد الذي التي الذين ضمن اثر إثر فإن "
        "النظر الانتباه"
    ),
    lead=words("و ف كما بدوره بدورها جانبه جانبها من وكان وكانت كان كانت ثم"),
    complementisers=words("إن أن ان بأن بان إنه أنه انه بأنه أنها إنها بأنها بانه فإن فان"),
    according_to=phrases(
        "وفقا ل",
        "وفقا لـ",
        "وفق",
        "بحسب",
        "وبحسب",
        "حسب",
        "وحسب",
        "نقلا عن",
        "حسب ما",
        "بحسب ما",
        "وفق ما",
    ),
)

# --- Words the finder reads directly ------------------------------------------------------

AR_WAS = words("كان كانت وكان وكانت يذكر ويذكر")  # وكانت الشرطة قالت: the subject comes first
AR_ALREADY = tokenise("قد")[0]
AR_NEGATION = words("لم ولم لن ولن لا ولا")
# An indefinite office (متحدث باسم الشرطة, "a police spokesman") names no one.
AR_INDEFINITE_OFFICES = words("متحدث مسؤول مصدر ناطق")
AR_ROLE_LINKS = words("باسم عن في ب")  # المتحدث باسم وزارة …: still the role
AR_PHRASE_LINKS = words("في عن")  # القيادي في حزب …: a titled phrase runs on
AR_RELATIVE = words("ما عنه")  # بحسب ما نقلت, وفق ما أعلن عنه
