"""Words, names and places for the generated data set, in the six languages followed.

Spelling variants are deliberate: Urdu آذربائیجان beside Persian آذربایجان and Arabic
أذربيجان, Arabic ي/ك beside Persian ی/ک, so search is measured on realistic mixed text.
"""

from __future__ import annotations


def _words(text: str) -> list[str]:
    return text.split()


WORDS = {
    "ur": _words(
        "حکومت وزیر صدر بیان کہا تعلقات تعاون سرحد حملہ امن معاہدہ اجلاس "
        "ملاقات دورہ فوج سلامتی معیشت تجارت توانائی گیس تیل پائپ لائن پابندیاں "
        "مذاکرات علاقائی خودمختاری افواہیں دعوے جھوٹ بے بنیاد ناقابل قبول "
        "حمایت مخالفت عوام پارلیمان انتخابات اصلاحات ترقی سرمایہ کاری منصوبہ "
        "سفارت خانہ اقوام متحدہ کانفرنس اعلان ہمسایہ ممالک بھائی چارے ثقافتی "
        "مذہبی مشترکہ اقتصادی سیاسی مستقبل ذمہ داری "
    ),
    "fa": _words(
        "دولت وزیر رئیس جمهور گفت روابط همکاری مرز حمله صلح توافق نشست دیدار "
        "سفر ارتش امنیت اقتصاد تجارت انرژی گاز نفت خط لوله تحریم ها مذاکرات "
        "منطقه ای حاکمیت شایعات ادعاها دروغ بی اساس غیرقابل قبول حمایت مخالفت "
        "مردم مجلس انتخابات اصلاحات توسعه سرمایه گذاری طرح سفارت سازمان ملل "
        "کنفرانس اعلام همسایه کشورها برادری فرهنگی مذهبی مشترک سیاسی آینده "
        "مسئولیت می\u200cخواهیم می\u200cکند "
    ),
    "ar": _words(
        "الحكومة الوزير الرئيس قال العلاقات التعاون الحدود الهجوم السلام "
        "الاتفاق الاجتماع اللقاء الزيارة الجيش الأمن الاقتصاد التجارة الطاقة "
        "الغاز النفط خط الأنابيب العقوبات المفاوضات الإقليمي السيادة الشائعات "
        "الادعاءات كاذبة لا أساس لها مرفوضة الدعم المعارضة الشعب البرلمان "
        "الانتخابات الإصلاحات التنمية الاستثمار المشروع السفارة الأمم المتحدة "
        "المؤتمر أعلن الجوار الدول الأخوة الثقافية الدينية المشتركة السياسية "
        "المستقبل المسؤولية "
    ),
    "en": _words(
        "government minister president said relations cooperation border "
        "attack peace agreement meeting talks visit army security economy "
        "trade energy gas oil pipeline sanctions negotiations regional "
        "sovereignty rumours claims false baseless unacceptable support "
        "opposition people parliament elections reforms development investment "
        "project embassy united nations conference announced neighbouring "
        "countries brotherhood cultural religious joint political future "
        "responsibility "
    ),
    "az": _words(
        "hökumət nazir prezident dedi əlaqələr əməkdaşlıq sərhəd hücum sülh "
        "razılaşma iclas görüş səfər ordu təhlükəsizlik iqtisadiyyat ticarət "
        "enerji qaz neft boru kəməri sanksiyalar danışıqlar regional "
        "suverenlik şayiələr iddialar yalan əsassız qəbuledilməz dəstək "
        "müxalifət xalq parlament seçkilər islahatlar inkişaf investisiya "
        "layihə səfirlik birləşmiş millətlər konfrans elan qonşu ölkələr "
        "qardaşlıq mədəni dini birgə siyasi gələcək məsuliyyət İran "
    ),
    "ru": _words(
        "правительство министр президент заявил отношения сотрудничество "
        "граница атака мир соглашение встреча переговоры визит армия "
        "безопасность экономика торговля энергия газ нефть трубопровод санкции "
        "регион суверенитет слухи заявления ложь беспочвенные неприемлемые "
        "поддержка оппозиция народ парламент выборы реформы развитие "
        "инвестиции проект посольство ООН конференция объявил соседние страны "
        "братство культурные религиозные совместные политические будущее "
        "ответственность "
    ),
}

# Places in each language, with the spelling variants real text mixes.
PLACES = {
    "ur": ["آذربائیجان", "آذربایجان", "ایران", "پاکستان", "باکو", "تہران", "روس", "ترکی"],
    "fa": ["آذربایجان", "ایران", "پاکستان", "باکو", "تهران", "روسیه", "ترکیه", "ارمنستان"],
    "ar": ["أذربيجان", "اذربيجان", "إيران", "ايران", "باكستان", "باكو", "طهران", "روسيا"],
    "en": ["Azerbaijan", "Iran", "Pakistan", "Baku", "Tehran", "Russia", "Türkiye", "Armenia"],
    "az": ["Azərbaycan", "İran", "Pakistan", "Bakı", "Tehran", "Rusiya", "Türkiyə", "Ermənistan"],
    "ru": ["Азербайджан", "Иран", "Пакистан", "Баку", "Тегеран", "Россия", "Турция", "Армения"],
}

SAID = {"ur": "نے کہا", "fa": "گفت", "ar": "قال", "en": "said", "az": "dedi", "ru": "заявил"}
SENTENCE_END = {"ur": "۔", "fa": ".", "ar": ".", "en": ".", "az": ".", "ru": "."}
COMMA = {"ur": "،", "fa": "،", "ar": "،", "en": ",", "az": ",", "ru": ","}

# (Latin, Persian/Urdu, Arabic, Cyrillic) spellings of names; Azerbaijani uses the Latin one.
FIRST_NAMES = [
    ("Shahin", "شاہین", "شاهين", "Шахин"),
    ("Masoud", "مسعود", "مسعود", "Масуд"),
    ("Ilham", "الہام", "إلهام", "Ильхам"),
    ("Hikmet", "حکمت", "حكمت", "Хикмет"),
    ("Ali", "علی", "علي", "Али"),
    ("Reza", "رضا", "رضا", "Реза"),
    ("Abbas", "عباس", "عباس", "Аббас"),
    ("Jeyhun", "جیہون", "جيهون", "Джейхун"),
    ("Mehdi", "مہدی", "مهدي", "Мехди"),
    ("Nasser", "ناصر", "ناصر", "Насер"),
    ("Sergei", "سرگئی", "سيرغي", "Сергей"),
    ("Hassan", "حسن", "حسن", "Хасан"),
    ("Elmar", "المار", "إلمار", "Эльмар"),
    ("Fuad", "فواد", "فؤاد", "Фуад"),
    ("Maria", "ماریا", "ماريا", "Мария"),
    ("Leyla", "لیلا", "ليلى", "Лейла"),
]
LAST_NAMES = [
    ("Mustafayev", "مصطفیف", "مصطفاييف", "Мустафаев"),
    ("Pezeshkian", "پزشکیان", "بزشكيان", "Пезешкиан"),
    ("Aliyev", "علیف", "علييف", "Алиев"),
    ("Hajiyev", "حاجیف", "حاجييف", "Гаджиев"),
    ("Araghchi", "عراقچی", "عراقجي", "Аракчи"),
    ("Bayramov", "بائراموف", "بایراموف", "Байрамов"),
    ("Rahimi", "رحیمی", "رحيمي", "Рахими"),
    ("Karimi", "کریمی", "كريمي", "Карими"),
    ("Lavrov", "لاوروف", "لافروف", "Лавров"),
    ("Mammadov", "محمدوف", "محمدوف", "Мамедов"),
    ("Qasimov", "قاسموف", "قاسموف", "Касумов"),
    ("Sharif", "شریف", "شريف", "Шариф"),
    ("Zakharova", "زاخارووا", "زاخاروفا", "Захарова"),
    ("Huseynov", "حسینوف", "حسينوف", "Гусейнов"),
    ("Tehrani", "تہرانی", "طهراني", "Техрани"),
    ("Novruzov", "نوروزوف", "نوروزوف", "Новрузов"),
]
ROLES = [
    "Deputy Prime Minister",
    "Foreign Minister",
    "President",
    "Government spokesperson",
    "Member of Parliament",
    "Ambassador",
    "Defence Minister",
    "Energy Minister",
]
COUNTRIES = ["AZ", "IR", "PK", "RU", "TR", "AM", "IQ", "GB"]
OUTLET_WORDS = ["News", "Times", "Daily", "Press", "Agency", "Herald", "Post", "Voice"]
