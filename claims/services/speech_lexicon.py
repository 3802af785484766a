"""Per-language words of reported speech in Urdu, Persian and Arabic, kept in one place.

The finder (claims/services/reported_speech/) reads sentences by their structure: Urdu puts
the speaker before نے / کا کہنا / کے مطابق, Persian opens the sentence with the speaker and
closes it with the verb, Arabic puts the verb first and the speaker after it. What varies
between outlets and years is vocabulary, and all of it is here: reporting verbs (with the
stance they give their clause), titles and offices, the heads of organisation names, unnamed
sources, and the words that end a speaker phrase.

Everything is written in ordinary spelling and normalised once at import with the shared text
module, so ي/ی, ك/ک, ہ/ه, hamza seats and ZWNJ never decide whether a word matches.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from claims.models import Stance
from sources.text import tokenise

DENIES, ASSERTS, QUESTIONS = Stance.DENIES.value, Stance.ASSERTS.value, Stance.QUESTIONS.value


def words(text: str) -> frozenset[str]:
    """Normalised single words of a whitespace-separated list."""
    return frozenset(key for word in text.split() for key in tokenise(word))


def phrases(*items: str) -> tuple[tuple[str, ...], ...]:
    """Normalised word sequences, longest first (so نائب وزیر اعظم wins over وزیر اعظم)."""
    found = {tuple(tokenise(item)) for item in items if tokenise(item)}
    return tuple(sorted(found, key=len, reverse=True))


@dataclass(frozen=True)
class Verb:
    """A reporting verb or phrase: its normalised words and what it does to its clause."""

    tokens: tuple[str, ...]
    stance: str = ""  # Stance the verb gives a clause that restates a claim; "" when neutral
    # "after": the words said follow the verb (… گفت: «…», قال إن …, نے کہا کہ …).
    # "before": a noun-phrase object precedes it (X نے Y کی تردید کی, X Y را تکذیب کرد).
    content: str = "after"
    # A participle or adverbial (مضيفا أن, با بیان اینکه): it shares the subject of the
    # sentence's other verb instead of having its own.
    participle: bool = False
    kind: str = "reported"  # or "paraphrase": the verb reports a gist (اشارہ کیا, ذکر کیا)


def verbs(
    items: str,
    *,
    stance: str = "",
    content: str = "after",
    participle: bool = False,
    kind: str = "reported",
) -> tuple[Verb, ...]:
    """Verbs from a `|`-separated list."""
    return tuple(
        Verb(tokens, stance, content, participle, kind)
        for tokens in phrases(*(item.strip() for item in items.split("|")))
    )


@dataclass(frozen=True)
class Lexicon:
    verbs: tuple[Verb, ...]
    titles: tuple[tuple[str, ...], ...]  # offices and honorifics: role, not name
    org_heads: frozenset[str]  # words that make a phrase an organisation (ministry, police)
    generic: frozenset[str]  # unnamed sources: never turned into a speaker
    documents: frozenset[str]  # report, statement: the speaker is whoever issued it
    pronouns: frozenset[str]  # refer back to the last speaker of the article
    stop: frozenset[str]  # words that end a speaker phrase (postpositions, verbs, time words)
    lead: frozenset[str]  # words dropped from a phrase's start (and, however, also)
    complementisers: frozenset[str]  # that / کہ / که / أن: the words said start after them
    according_to: tuple[tuple[str, ...], ...] = ()  # X کے مطابق, به گفته X, بحسب X
    # Words that qualify a title rather than name its holder (نخستین مربی, سابق).
    title_modifiers: frozenset[str] = frozenset()
    # Built from the above, for lookup per word; not compared, so the lexicon stays hashable.
    verbs_by_first: dict[str, list[Verb]] = field(init=False, repr=False, compare=False)
    title_words: frozenset[str] = field(init=False, repr=False, compare=False)
    titles_by_first: dict[str, list[tuple[str, ...]]] = field(init=False, repr=False, compare=False)
    according_to_words: frozenset[str] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        by_first: dict[str, list[Verb]] = {}
        for verb in self.verbs:
            by_first.setdefault(verb.tokens[0], []).append(verb)
        object.__setattr__(self, "verbs_by_first", by_first)
        title_words = frozenset(word for title in self.titles for word in title)
        object.__setattr__(self, "title_words", title_words)
        titles_by_first: dict[str, list[tuple[str, ...]]] = {}
        for title in self.titles:
            titles_by_first.setdefault(title[0], []).append(title)
        object.__setattr__(self, "titles_by_first", titles_by_first)
        according = frozenset(phrase[-1] for phrase in self.according_to)
        object.__setattr__(self, "according_to_words", according)


# --- Urdu ------------------------------------------------------------------------------------

_UR_SAY = (
    "کہا | مزید کہا | بتایا | مزید بتایا | لکھا | کہہ دیا | واضح کیا | واضح کر دیا | زور دیا | "
    "باور کرایا | یقین دلایا | خبردار کیا | متنبہ کیا | انکشاف کیا | اعلان کیا | اعلان کر دیا | "
    "اعلان کردیا | تصدیق کی | موقف اختیار کیا | مؤقف اختیار کیا | اعتراف کیا | جواب دیا | "
    "دھمکی دی | پیغام دیا | عندیہ دیا | مطالبہ کیا | اپیل کی | امید ظاہر کی | خدشہ ظاہر کیا | "
    "کہنا تھا | کہنا ہے | مزید کہنا تھا | مزید کہنا ہے | کہنا تھا کہ | کہہ چکے ہیں | کہتے ہیں | "
    "کہا گیا | بتایا گیا | واضح کیا گیا | اعلان کیا گیا | کہا گیا ہے | بتایا گیا ہے | "
    "موقف ہے | موقف تھا | مؤقف ہے | مؤقف تھا | کیپشن دیا | پیغام پہنچا دیا | اطلاع دی | "
    "پیشگوئی کی | پیش گوئی کی | ہدایت کی اور کہا | لکھا کہ | ٹویٹ کیا | ٹوئٹ کیا"
)
UR = Lexicon(
    verbs=verbs(_UR_SAY)
    + verbs(
        "تردید کی | تردید کر دی | تردید کردی | مسترد کر دیا | مسترد کردیا | مسترد کیا | "
        "جھوٹ قرار دیا | بے بنیاد قرار دیا | انکار کیا | انکار کر دیا",
        stance=DENIES,
    )
    + verbs(
        "الزام عائد کیا | الزام لگایا | دعویٰ کیا | دعوی کیا | الزام عائد کر دیا", stance=ASSERTS
    )
    + verbs("سوال اٹھایا | استفسار کیا | سوال کیا", stance=QUESTIONS)
    + verbs("قرار دیا | قرار دے دیا | قرار دیدیا", content="before")
    + verbs("اشارہ کیا | ذکر کیا", content="before", kind="paraphrase"),
    titles=phrases(
        "صدر",
        "نائب صدر",
        "وزیر اعظم",
        "وزیراعظم",
        "نائب وزیر اعظم",
        "نائب وزیراعظم",
        "وزیر اعلیٰ",
        "وزیراعلیٰ",
        "وزیر",
        "وزیر خارجہ",
        "وزیر دفاع",
        "وزیر داخلہ",
        "وزیر خزانہ",
        "وزیر اطلاعات",
        "مشیر",
        "معاون خصوصی",
        "ترجمان",
        "نائب ترجمان",
        "سفیر",
        "ہائی کمشنر",
        "سربراہ",
        "چیئرمین",
        "چیئرپرسن",
        "چیف",
        "چیف ایگزیکٹو",
        "چیف جسٹس",
        "جسٹس",
        "جج",
        "گورنر",
        "سپیکر",
        "اسپیکر",
        "جنرل",
        "آرمی چیف",
        "ڈائریکٹر",
        "ڈائریکٹر جنرل",
        "سیکرٹری",
        "سیکریٹری",
        "کمشنر",
        "رکن",
        "رہنما",
        "لیڈر",
        "قائد",
        "کپتان",
        "کوچ",
        "صحافی",
        "اینکر",
        "تجزیہ کار",
        "اداکار",
        "اداکارہ",
        "گلوکار",
        "گلوکارہ",
        "کرکٹر",
        "بیٹر",
        "بولر",
        "اوپنر",
        "کھلاڑی",
        "پروفیسر",
        "ڈاکٹر",
        "مولانا",
        "جناب",
        "سینیٹر",
        "ایم این اے",
        "ایم پی اے",
        "نمائندہ",
        "نمائندہ خصوصی",
        "کوآرڈینیٹر",
        "کمانڈر",
        "ایئر کموڈور",
        "ایئرکموڈور",
        "بریگیڈیئر",
        "کرنل",
        "میجر",
        "سی ای او",
        "بانی",
        "اہلیہ",
        "شوہر",
        "وکیل",
        "سرابرہ",
        "ایڈیٹر",
        "منیجر",
        "مینیجر",
        "صدر مملکت",
        "امیر",
        "سیکرٹری جنرل",
        "مفتی",
    ),
    org_heads=words(
        "حکومت وزارت محکمہ بورڈ اتھارٹی کمیٹی کمیشن پولیس فوج فضائیہ بحریہ عدالت پارٹی جماعت "
        "تنظیم ایسوسی ایشن کونسل بینک ادارہ ادارے دفتر خارجہ سفارتخانہ سفارتخانے ایجنسی "
        "اسمبلی سینیٹ پارلیمنٹ یونیورسٹی کمپنی گروپ ونگ ڈویژن فاؤنڈیشن لیگ فیڈریشن "
        "آئی ایس پی آر کارپوریشن اجلاس ٹیم ویب سائٹ اخبار چینل"
    ),
    generic=words(
        "ذرائع ماہرین حکام اہلکاروں اہلکار عہدیداروں عہدیدار تجزیہ کاروں رپورٹس اطلاعات "
        "میڈیا لوگوں افراد شہریوں مبصرین عینی شاہدین"
    ),
    documents=words("رپورٹ دستاویز بیان اعلامیہ اعلامیے اعلامیہ ریلیز نوٹیفکیشن خط پوسٹ تحقیق"),
    pronouns=words("انہوں انھوں اُنہوں نهوں ان اس وہ آپ جنہوں"),
    stop=words(
        "میں پر سے کو نے تک لیے لئے کیلئے کیلیے کہ جبکہ جب بعد دوران قبل پہلے ساتھ ہے ہیں تھا "
        "تھی تھے گیا گئی گئے کیا کر کرتے ہوئے ہوئی ہوا ہو جو جس جن جنہیں آج کل گزشتہ روز "
        "دن رات صبح شام ہفتے منگل بدھ جمعرات جمعہ اتوار پیر سوموار مطابق تفصیلات موقع حوالے "
        "گفتگو خطاب تقریب بات انٹرویو دورے دورہ ملاقات بھی تو ہی نہیں نہ یہ کہا بتایا "
        "اب پھر لیکن مگر تاہم البتہ چنانچہ یوں ایسے بلکہ کیونکہ اگر تاکہ کہتے ہوئے والے والی "
        "جانب طرف جاری شیئر"
    ),
    lead=words("اور جبکہ تاہم جب کہ پھر اب دوسری جانب علاوہ ازیں مزید"),
    complementisers=words("کہ"),
    according_to=phrases("کے مطابق", "کے بقول", "کی زبانی", "کےمطابق"),
)

# --- Persian ---------------------------------------------------------------------------------

_FA_AUX = ("", " است", " بود", " اند", " است که")


def _fa(items: str, *, stance: str = "", content: str = "after") -> tuple[Verb, ...]:
    """Persian verbs with their perfect forms: گفت, گفته است, گفته بود; کرد, کرده است."""
    forms = []
    for item in (item.strip() for item in items.split("|")):
        forms.append(item)
        stem_words = item.split()
        last = stem_words[-1]
        perfect = (last[:-2] if last.endswith("ند") else last) + "ه"
        for aux in _FA_AUX[1:4]:
            forms.append(" ".join([*stem_words[:-1], perfect]) + aux)
            # کرده‌اند, گفته‌است: the auxiliary joined by a zero-width non-joiner.
            forms.append(" ".join([*stem_words[:-1], perfect]) + aux.strip())
    return verbs("|".join(forms), stance=stance, content=content)


FA = Lexicon(
    verbs=_fa(
        "گفت | گفتند | افزود | افزودند | اظهار داشت | اظهار کرد | اظهار داشتند | ادامه داد | "
        "تصریح کرد | اعلام کرد | اعلام کردند | اعلام داشت | تاکید کرد | تأکید کرد | خاطرنشان کرد | "
        "خاطر نشان کرد | یادآور شد | اضافه کرد | توضیح داد | عنوان کرد | نوشت | نوشتند | خبر داد | "
        "خبر دادند | هشدار داد | بیان کرد | بیان داشت | ابراز امیدواری کرد | ابراز کرد | "
        "اظهارداشت | متذکر شد | یادآوری کرد | پاسخ داد | تشریح کرد | ابراز داشت | اذعان کرد | "
        "تصریح داشت | گزارش داد | خواستار شد | خواستار شدند | اعلام نمود | بیان نمود | "
        "اظهار نمود | توصیف کرد | انتقاد کرد | خواند | دانست | خواست | خواستند"
    )
    + _fa("تکذیب کرد | رد کرد | تکذیب کردند | رد کردند | انکار کرد", stance=DENIES)
    + _fa("ادعا کرد | متهم کرد | ادعا کردند", stance=ASSERTS)
    + _fa("پرسید | سوال کرد | تردید کرد", stance=QUESTIONS)
    + verbs(
        "با بیان اینکه | با بیان این که | با تاکید بر اینکه | با تأکید بر اینکه | "
        "با اشاره به اینکه | با اشاره به این که | ضمن بیان اینکه | ضمن تاکید بر اینکه | "
        "با یادآوری اینکه | با اعلام اینکه | مبنی بر اینکه | مبنی بر این که | بابیان اینکه | "
        "با بیان اینكه | ضمن اشاره به اینکه",
        participle=True,
    ),
    titles=phrases(
        "رئیس جمهور",
        "رئیس جمهوری",
        "رییس جمهور",
        "رییس جمهوری",
        "معاون رئیس جمهور",
        "معاون اول رئیس جمهور",
        "نخست وزیر",
        "معاون نخست وزیر",
        "وزیر",
        "وزیر امور خارجه",
        "وزیر خارجه",
        "وزیر دفاع",
        "سخنگوی",
        "سخنگو",
        "معاون",
        "رئیس",
        "رییس",
        "دبیر",
        "دبیرکل",
        "دبیر کل",
        "سفیر",
        "نماینده",
        "مدیر",
        "مدیرعامل",
        "مدیر عامل",
        "فرمانده",
        "دادستان",
        "دادستان کل",
        "قاضی",
        "استاندار",
        "فرماندار",
        "شهردار",
        "مشاور",
        "کارشناس",
        "مربی",
        "سرمربی",
        "عضو",
        "رهبر",
        "مسئول",
        "مسؤول",
        "آیت الله",
        "آیت‌الله",
        "حجت الاسلام",
        "شیخ",
        "دکتر",
        "مهندس",
        "سردار",
        "سرلشکر",
        "سرتیپ",
        "ژنرال",
        "آقای",
        "خانم",
        "امیر",
        "پادشاه",
        "ملک",
        "شاهزاده",
        "ولیعهد",
        "نایب رئیس",
        "رئیس کل",
    ),
    org_heads=words(
        "وزارت سازمان اداره دولت پلیس ارتش سپاه دادگاه حزب جنبش شورای شورا مجلس کمیسیون "
        "خبرگزاری خبرگزاري روزنامه هفته‌نامه هفته نامه شبکه پایگاه دفتر ستاد انجمن اتحادیه "
        "دانشگاه بانک شرکت کمیته آژانس معاونت دبیرخانه نیروی کاخ"
    ),
    title_modifiers=words("نخستین اولین سابق جدید ارشد پیشین فعلی"),
    generic=words(
        "منابع منبع کارشناسان مقامات ناظران برخی گزارش‌ها گزارشها رسانه‌ها رسانه ها رسانه‌های "
        "شاهدان تحلیلگران یک یکی"
    ),
    documents=words("گزارش بیانیه اطلاعیه نامه پیام"),
    pronouns=words("وی او ایشان آنها ایشان"),
    stop=words(
        "در با به از بر برای طی ضمن پس پیش درباره پیرامون که را تا امروز دیروز روز شب صبح عصر "
        "ظهر پنجشنبه جمعه شنبه یکشنبه دوشنبه سه‌شنبه چهارشنبه نیز هم همچنین سپس پیشتر اخیرا "
        "اخیراً است بود شد کرد گفت ولی اما هنگام حاشیه نشست جلسه دیدار مصاحبه گفتگو "
        "گفت‌وگو گفت‌و‌گو"
    ),
    lead=words("و اما همچنین سپس هم نیز ضمنا"),
    complementisers=words("که اینکه"),
    according_to=phrases(
        "به گفته",
        "به گزارش",
        "به نقل از",
        "به نوشته",
        "بنا بر اعلام",
        "بنابر اعلام",
        "بنا بر گزارش",
        "بنابر گزارش",
        "بر اساس گزارش",
        "بنا بر این گزارش",
        "بر اساس اعلام",
    ),
)

# --- Arabic ----------------------------------------------------------------------------------


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

LEXICONS: dict[str, Lexicon] = {"ur": UR, "fa": FA, "ar": AR}

# --- Words the finder reads directly, per language -------------------------------------------

# Words that point at something: "this report" (اس رپورٹ, این گزارش, هذا البيان).
DEMONSTRATIVES = words("اس این اين هذا هذه یہ اسی همین ایک")

UR_ERGATIVE = tokenise("نے")[0]
# Verbal nouns whose speaker stands in the genitive: X کا کہنا ہے کہ, X کا موقف ہے کہ.
UR_GENITIVE_SUBJECT = words("کہنا موقف مؤقف")
UR_GENITIVE = words("کا کی کے")
UR_NEGATION = words("نہیں نہ")
UR_PASSIVE = words("گیا گئی گئے گیے جاتا جا")  # کہا گیا, بتایا جاتا ہے: no agent named
UR_AUXILIARY = words("ہے ہیں تھا تھی تھیں گیا گئی گئے گیے دیا دی ہو چکے چکا جا رہا رہی جاتا سکتا")
UR_PARTICIPLE = words("ہوئے ہوئی ہوئیے")  # کہتے ہوئے: not a statement of its own
UR_AGENT = phrases("جانب سے", "طرف سے")  # X کی جانب سے: by X
UR_SAY = words("کہا مزید بتایا لکھا")  # verbs that may take unmarked direct speech
UR_SAY_INITIAL = words("کہہ کہتے")  # X کئی مرتبہ کہہ چکے ہیں کہ: a subject with no نے
UR_DOCUMENT_FILLERS = words("یہ بھی مزید")  # X میں یہ بھی کہا گیا
UR_AND = words("اور و")
UR_AFTER_OBJECT = words("کا کی کے کو سے پر")  # postpositions closing the words said
UR_BARE_REPORT = words("رپورٹ")  # رپورٹ کے مطابق alone: a generic report, unattributed
# Words typed without a space (نےکہا, کہاکہ, مزیدکہاکہ): split where a reporting word stands.
UR_GLUED_CORES = tuple(tokenise("کہا بتایا لکھا کہنا"))
UR_GLUED_PREFIXES = frozenset(
    {""} | {tokenise(word)[0] for word in ("نے", "مزید", "ہوئے", "مزیدنے", "اورنے")}
)
UR_GLUED_SUFFIXES = frozenset({"", tokenise("کہ")[0]})

FA_OPENERS = phrases(
    "این در حالی است که",
    "این در حالیست که",
    "از سوی دیگر",
    "در همین حال",
    "در این حال",
    "در عین حال",
)
FA_SELF = words("خبرنگار گروه خبرگزاری پایگاه شبکه روزنامه")  # the outlet's own desks
FA_OWN_DESK = words("خبرنگار گروه")
FA_AND = tokenise("و")[0]

AR_WAS = words("كان كانت وكان وكانت يذكر ويذكر")  # وكانت الشرطة قالت: the subject comes first
AR_ALREADY = tokenise("قد")[0]
AR_NEGATION = words("لم ولم لن ولن لا ولا")
# An indefinite office (متحدث باسم الشرطة, "a police spokesman") names no one.
AR_INDEFINITE_OFFICES = words("متحدث مسؤول مصدر ناطق")
AR_ROLE_LINKS = words("باسم عن في ب")  # المتحدث باسم وزارة …: still the role
AR_PHRASE_LINKS = words("في عن")  # القيادي في حزب …: a titled phrase runs on
AR_RELATIVE = words("ما عنه")  # بحسب ما نقلت, وفق ما أعلن عنه
