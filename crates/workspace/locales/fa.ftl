# میز کار Symbolon — فارسی.
skip-to-content = رفتن به محتوا
nav-label = منوی اصلی
nav-collections = مجموعه‌ها
nav-search = جست‌وجو
language-label = زبان
search-label = جست‌وجو
search-placeholder = شناسه، نام، IP، دامنه، URL، هش، ایمیل
search-button = جست‌وجو
signed-in-as = واردشده با نام
sign-out = خروج
back-home = بازگشت به مجموعه‌ها
none = هیچ.

login-title = ورود
login-username = نام کاربری
login-password = گذرواژه
login-submit = ورود
login-expired = مهلت فرم ورود تمام شده است. لطفاً دوباره وارد شوید.
login-plain-http = این گره گذرواژه را روی HTTP ساده فقط از میزبان خودش می‌پذیرد. از راه HTTPS وصل شوید یا با گرداننده‌ی آن تماس بگیرید.
login-wrong = کاربر ناشناخته یا گذرواژه‌ی نادرست.
login-slowed = { $count ->
    [one] تلاش‌های بیش از حد برای این کاربر: { $shown } ثانیه‌ی دیگر دوباره تلاش کنید.
   *[other] تلاش‌های بیش از حد برای این کاربر: { $shown } ثانیه‌ی دیگر دوباره تلاش کنید.
}

error-title = مانعی در کار است
error-not-found = اینجا چیزی نیست: یا وجود ندارد، یا دیدنش برای شما نیست.
error-refused = سیاست موافقت‌نامه این درخواست را رد می‌کند.
error-invalid = به این درخواست به این شکل نمی‌توان پاسخ داد.
form-date = { $field }: { $value } تاریخ نیست. آن را به شکل YYYY-MM-DD، یا به تاریخ خورشیدی YYYY/MM/DD بنویسید.
form-whole-number = { $field }: { $value } عدد صحیح نیست.
form-percent = { $field }: { $value } عدد صحیحی از ۰ تا ۱۰۰ نیست.
form-choice = { $field }: { $value } از گزینه‌های داده‌شده نیست.
form-not-stix-id = { $value } شناسه‌ی STIX نیست (type--UUID).
form-notice-no-objects = اطلاعیه باید دست‌کم یک شیء را نام ببرد.
form-not-signed-record = متن داده‌شده درخواست رضایتِ امضاشده نیست.
form-upload = فرم بارگذاری‌شده کامل خوانده نشد؛ دوباره بارگذاری کنید.
error-failed = گره نتوانست پاسخ دهد. گرداننده علت را در گزارش گره می‌یابد.
error-csrf = مهلت این فرم تمام شده یا از این میز کار نیامده است. لطفاً دوباره تلاش کنید.

collections-title = مجموعه‌ها
collections-none = در این گره مجموعه‌ای نیست که بتوانید بخوانید یا در آن بنویسید.
col-title = عنوان
col-objects = اشیای قابل دیدن برای شما
col-rights = دسترسی شما
col-id = شناسه
col-name = نام
col-type = نوع
col-markings = نشانه‌گذاری‌ها
col-origin = مبدأ
col-version = نسخه
col-added = افزوده‌شده
col-changes = ویژگی‌های تغییرکرده
col-match = تطابق
col-sightings = مشاهده‌ها
col-collection = مجموعه
objects-count = { $count ->
    [one] { $shown } شیء
   *[other] { $shown } شیء
}
objects-count-more = بیش از { $shown } شیء
count-refused = نه برای هدف شما
rights-read-write = خواندن و نوشتن
rights-read = خواندن
rights-write = فقط نوشتن

filter-type = نوع
filter-marking = نشانه‌گذاری
filter-origin = مبدأ
filter-origin-hint = مرجع، یا «own»
filter-added-after = افزوده‌شده پس از
filter-text = متن در نام یا توضیح
filter-apply = اعمال
filter-bad-date = «{ $value }» تاریخ نیست (خورشیدی ۱۴۰۵/۰۹/۱۵ یا میلادی YYYY-MM-DD)؛ این پالایه کنار گذاشته شد.
filter-looked-through = { $shown } شیء بررسی شد؛ بقیه در صفحه‌ی بعد.
objects-none = هیچ شیء قابل دیدنی برای شما با این شرایط جور نیست.
objects-on-page = { $count ->
    [one] { $shown } شیء در این صفحه
   *[other] { $shown } شیء در این صفحه
}
origin-own = همین مرجع
pager-label = صفحه‌ها
pager-first = صفحه‌ی نخست
pager-next = صفحه‌ی بعد

reach-local = فقط همین مرجع
reach-parties = مراجع صلاحیت‌دار طرفین
reach-anyone = هر کس (از جمله طرف ثالث، با رعایت ماده‌ی ۶.۲)
reach-overall = بر پایه‌ی موافقت‌نامه این شیء می‌تواند به این‌ها برسد: { $reach }. سخت‌گیرانه‌ترین نشانه‌گذاری تعیین‌کننده است.
consent-note = دریافت‌شده از { $origin }: بدون رضایت کتبی پیشین { $origin } به هیچ طرف ثالثی نمی‌رسد (ماده‌ی ۶.۲).

fact-id = شناسه
fact-type = نوع
fact-description = توضیح
fact-origin = مبدأ
fact-version = نسخه
markings-title = نشانه‌گذاری‌ها
markings-none = بدون نشانه‌گذاری.
sightings-title = مشاهده‌ها
sighted-times = { $count ->
    [one] یک بار مشاهده شده:
   *[other] { $shown } بار مشاهده شده:
}
false-positives = { $count ->
    [one] · یک گزارش مثبت کاذب
   *[other] · { $shown } گزارش مثبت کاذب
}
versions-title = نسخه‌های قابل دیدن برای شما
changes-first = نخستین نسخه‌ی نشان‌داده‌شده
refs-out-title = اشیایی که نام می‌برد
refs-in-title = اشیایی که از آن نام می‌برند
refs-in-more = اشیای بیشتری از آن نام می‌برند تا آنچه اینجا آمده است.
json-title = همان‌گونه که به شما داده شده (STIX 2.1)

search-title = جست‌وجو
search-help = شناسه‌ی STIX خود آن شیء را می‌یابد؛ نشانی یا بازه‌ی IP، دامنه، URL، هش یا نشانی ایمیل در نمایه‌ی همبستگی جست‌وجو می‌شود؛ هر متن دیگری در نام‌ها و توضیح‌ها.
search-values = اشیایی که این مقدار را دارند
search-warninglists = در فهرست‌های هشدار (احتمالاً مثبت کاذب):
search-no-value-hits = هیچ شیء قابل دیدنی برای شما این مقدار را ندارد.
search-over-correlated = اشیای بیشتری از آنچه آمده این مقدار را دارند (همبستگی بیش از حد).
search-objects = نام‌ها و توضیح‌ها
search-no-hits = هیچ شیء قابل دیدنی برای شما جور نیست.
search-looked = { $count ->
    [one] { $shown } شیء بررسی شد.
   *[other] { $shown } شیء بررسی شد.
}

nav-incidents = رخدادها
incidents-title = رخدادها
incidents-none = رخدادی نیست که بتوانید ببینید.
incident-status = وضعیت
incident-determination = نتیجه‌گیری
incident-category = دسته (RSIT)
incident-owner = مالک
incident-criticality = اهمیت (۰ تا ۱۰۰)
incident-open-title = گشودن یک رخداد
incident-open = گشودن
incident-timeline = گاه‌شمار (هر دو طرف)
incident-when = زمان
incident-kind = مورد
incident-author = نویسنده
incident-what = شرح
incident-seal = مهر
seal-own = ساخته‌شده در همین گره
seal-verified = معتبر، امضاشده به دست
seal-failed = نامعتبر:
seal-none = بدون مهر
incident-act = مشارکت
incident-update = تغییر وضعیت (فقط مالک)
incident-task = وظیفه
incident-outcome = پیامد
incident-add-task = افزودن وظیفه
incident-note = یادداشت
incident-declined = خودداری از مشارکت، همراه با دلیل
incident-add-note = افزودن یادداشت
incident-link-object = شیء برای پیوند (شناسه‌ی STIX)
incident-link-kind = نوع رابطه
incident-link = پیوند

nav-agreement = موافقت‌نامه
nav-peers = گره‌های همتا
nav-audit = ممیزی
agreement-title = موافقت‌نامه
agreement-none = این گره هنوز زیر هیچ موافقت‌نامه‌ای نیست (symbolon agreement init).
agreement-name = موافقت‌نامه
agreement-version = نسخه‌ی سیاست
agreement-node = این گره
agreement-state = وضعیت امروز
agreement-signed = امضا
agreement-entry-into-force = لازم‌الاجرا شدن
agreement-awaiting = هنوز نه: در انتظار اعلام‌های طرفین
agreement-termination = خاتمه
agreement-not-in-force = لازم‌الاجرا نشده
agreement-in-force = لازم‌الاجرا
agreement-ending = لازم‌الاجرا؛ خاتمه از { $date }
agreement-terminated = خاتمه‌یافته از { $date }؛ حفاظت از اطلاعات و فعالیت‌های مشترک توافق‌شده ادامه دارد (ماده‌ی ۹.۴)
agreement-parties = طرفین و مراجع صلاحیت‌دار
agreement-party = طرف
agreement-authorities = مراجع صلاحیت‌دار
agreement-deadline = مهلت تعیین (روزهای کاری)
agreement-designated = تعیین‌شده
agreement-late = پس از مهلت
agreement-refused = اعلام‌هایی که به حساب نمی‌آیند
peers-title = گره‌های همتا
peers-none = این گره هیچ گره همتایی نمی‌شناسد.
peer-id = همتا
peer-state = وضعیت
peer-witnessed = گزارش ممیزی آن، آن‌گونه که اینجا گواهی شده
peer-exchanges = تبادل‌ها
peer-pull = دریافت از
peer-push = ارسال به
peer-not-yet = هنوز نه
peer-exchanging = در حال تبادل
peer-confirm = نقض را بررسی کرده‌ام و تبادل را از سر می‌گیرم
peer-resume = از سرگیری
peer-confirm-needed = از سرگیری تبادل با همتای متوقف‌شده به تأیید شما نیاز دارد: کادر را علامت بزنید.
quarantine-title = قرنطینه
quarantine-why = دلیل
quarantine-bytes = بایت
peer-halted-why = دفتر ممیزی آن، آنچه این گره گواهی کرده را ادامه نمی‌دهد: بازنویسی یا منشعب شده است. تا گرداننده از سر نگیرد، چیزی با آن مبادله نمی‌شود. شرح گره:
quarantine-intro = صفحه‌هایی که همتایی فرستاده و بررسی آن‌ها (امضا، مهر یا محتوا) ناموفق بوده است: چیزی از آن‌ها وارد هیچ مجموعه‌ای نشده و همگام‌سازی بعدی دوباره آن‌ها را درخواست می‌کند. هر یک با شرح گره از علت آن.
calendar-summary = { $party }: ماه مهلت در تقویم کاری آن
calendar-week-starts = آغاز هفته:
calendar-rest = تعطیل هفتگی (روز کاری نیست)
calendar-holiday = تعطیل رسمی (روز کاری نیست)
calendar-legend = روزهای سایه‌دار شمرده نمی‌شوند: تعطیلات هفتگی و رسمی آن طرف. روزِ قاب‌دار، مهلت است.
audit-title = گزارش ممیزی
audit-head = سر امضاشده‌ی درخت
audit-head-size = اندازه‌ی درخت
audit-head-signed = زمان امضا
audit-head-root = درهم‌سازی ریشه
audit-head-signature = امضا
audit-head-none = هنوز هیچ سر درختی امضا نشده است: دفتر رویداد خالی است.
audit-head-json = سر درخت آن‌گونه که دفتر می‌دهد (JSON)
audit-verify = وارسی گزارش در برابر انباره
audit-intact = سالم: گزارش وارسی شد و دقیقاً همان چیزی را که نگه‌داری می‌شود به حساب می‌آورد.
audit-damaged = سالم نیست: پایین را ببینید.
audit-stored = نسخه‌های نگه‌داری‌شده
audit-accounted = نسخه‌هایی که گزارش به حساب می‌آورد
audit-problems = مشکلات
audit-deleted = مجموعه‌های حذف‌شده
audit-deleted-by = حذف‌شده با
audit-deleted-versions = نسخه‌های حذف‌شده
audit-deleted-covered = پوشش‌داده‌شده: حذف دقیقاً همان چیزی را برداشت که گزارش به حساب آورده بود.
audit-deleted-uncovered = پوشش‌داده‌نشده: حذف و گزارش با هم نمی‌خوانند.
audit-entries = آخرین مدخل‌ها
audit-entry = مدخل { $n }
audit-proof-help = مدخل همان‌گونه که ثبت شده، با اثبات گنجاندن آن در درخت آخرین سر امضاشده (RFC 9162).

nav-consents = رضایت‌ها و اعلان‌ها
consents-title = رضایت‌ها (ماده‌ی ۶.۲) و اعلان‌های محرمانگی (ماده‌ی ۶.۳)
consents-waiting = درخواست‌های در انتظار امضای این مرجع
consent-holder = دارنده
consent-recipient = طرف ثالث
consent-purpose = هدف
consent-expires = تا
consent-answer = پاسخ
consent-shorter = مدتی کوتاه‌تر (اختیاری)
consent-grant = دادن رضایت
consent-request = درخواست
consents-declined = درخواست‌های ردشده
consent-decline-reason = دلیل (اختیاری)
consent-decline = رد کردن
consent-from-file = درخواستی که به‌صورت پرونده رسیده
consent-request-json = درخواست امضاشده (JSON)
consents-held = رضایت‌های موجود
consent-originator = مبدأ
consent-confirm = این رضایت را پس می‌گیرم
consent-revoke = پس گرفتن
consent-confirm-needed = پس گرفتن رضایت به تأیید شما نیاز دارد: کادر را علامت بزنید.
notices-title = اعلان‌های محرمانگی
notice-objects = اشیا (شناسه‌های STIX)
notice-properties = ویژگی‌ها (خالی: کل شیء)
notice-reach = هنوز می‌تواند برسد به
notice-reach-holder = فقط کاربران مرجع دارنده
notice-reach-parties = مراجع صلاحیت‌دار طرفین، هرگز طرف ثالث
notice-reason = دلیل
notice-issue = صدور اعلان

nav-transfer = ورود و صدور
transfer-title = ورود و صدور
import-title = ورود یک بسته
import-origin = دریافت‌شده از
import-file = بسته‌ی STIX یا پاکت TAXII (JSON)
import-submit = ورود
import-added = افزوده:
import-unchanged = از پیش موجود:
import-rejected = ردشده:
import-rule = قاعده
export-title = صدور برای یک گیرنده
export-for = گیرنده
export-preview = پیش‌نمایش
export-preview-of = آنچه صدور می‌دهد
export-served = داده‌شده
export-redacted = داده‌شده با حذف بخش‌ها
export-withheld = نگه‌داشته‌شده به موجب
export-submit = صدور (به‌عنوان انتقال ثبت می‌شود)

sighted-by = { $by }: { $count } (آخرین بار { $last })
sighting-count = شمار مشاهده
sighting-seen = آخرین بار در
sighting-note = کجا، چگونه
sighting-false-positive = مثبت کاذب (نه مشاهده)
sighting-record = ثبت (به مبدأ آن می‌رسد)

vocab-new = جدید
vocab-open = باز
vocab-closed = بسته
vocab-blocked = مسدودشده
vocab-confirmed = تأییدشده
vocab-failed-attempt = تلاش ناموفق
vocab-false-positive = مثبت کاذب
vocab-low-value = کم‌اهمیت
vocab-successful-attempt = تلاش موفق
vocab-suspected = مشکوک
vocab-cancelled = لغوشده
vocab-failed = ناموفق
vocab-ongoing = در جریان
vocab-pending = در انتظار
vocab-successful = موفق
vocab-unknown = نامعلوم
vocab-valid = معتبر
vocab-expired = منقضی
vocab-revoked = پس‌گرفته

# Incident timeline entries, in parts.
timeline-opened = گشوده شد
timeline-details-updated = جزئیات به‌روز شد
timeline-impact-of = اثر بر { $category }
timeline-linked = پیوند با عنوان
timeline-last = آخرین بار
timeline-sighted = { $shown } بار دیده شد

# Timeline entry kinds, opinions and impact categories (Incident Core extension).
vocab-incident = حادثه
vocab-task = وظیفه
vocab-impact = اثر
vocab-note = یادداشت
vocab-declined = امتناع از مشارکت
vocab-opinion = نظر
vocab-link = پیوند
vocab-sighting = مشاهده
vocab-strongly-disagree = کاملاً مخالف
vocab-disagree = مخالف
vocab-neutral = بی‌طرف
vocab-agree = موافق
vocab-strongly-agree = کاملاً موافق
vocab-availability = دسترس‌پذیری
vocab-confidentiality = محرمانگی
vocab-external = بیرونی
vocab-integrity = یکپارچگی
vocab-monetary = مالی
vocab-physical = فیزیکی
vocab-traceability = ردیابی‌پذیری

# RSIT (the Reference Security Incident Taxonomy): classes, then class--type.
rsit-abusive-content = محتوای مزاحم
rsit-malicious-code = کد مخرب
rsit-information-gathering = گردآوری اطلاعات
rsit-intrusion-attempts = تلاش برای نفوذ
rsit-intrusions = نفوذ
rsit-availability = دسترس‌پذیری
rsit-information-content-security = امنیت محتوای اطلاعات
rsit-fraud = کلاهبرداری
rsit-vulnerable = آسیب‌پذیر
rsit-other = سایر
rsit-test = آزمون
rsit-abusive-content--spam = هرزنامه
rsit-malicious-code--infected-system = سامانهٔ آلوده
rsit-malicious-code--c2-server = سرور فرماندهی و کنترل
rsit-malicious-code--malware-distribution = توزیع بدافزار
rsit-malicious-code--malware-configuration = پیکربندی بدافزار
rsit-information-gathering--scanner = پویش
rsit-information-gathering--sniffing = شنود ترافیک
rsit-information-gathering--social-engineering = مهندسی اجتماعی
rsit-intrusion-attempts--ids-alert = بهره‌برداری از آسیب‌پذیری‌های شناخته‌شده
rsit-intrusion-attempts--brute-force = تلاش برای ورود
rsit-intrusion-attempts--exploit = امضای حملهٔ جدید
rsit-intrusions--privileged-account-compromise = نفوذ به حساب ممتاز
rsit-intrusions--unprivileged-account-compromise = نفوذ به حساب عادی
rsit-intrusions--application-compromise = نفوذ به برنامه
rsit-intrusions--system-compromise = نفوذ به سامانه
rsit-intrusions--burglary = ورود غیرمجاز فیزیکی
rsit-availability--dos = منع خدمت
rsit-availability--ddos = منع خدمت توزیع‌شده
rsit-availability--misconfiguration = پیکربندی نادرست
rsit-availability--sabotage = خرابکاری
rsit-availability--outage = قطعی
rsit-information-content-security--unauthorised-information-access = دسترسی غیرمجاز به اطلاعات
rsit-information-content-security--unauthorised-information-modification = تغییر غیرمجاز اطلاعات
rsit-information-content-security--data-loss = از دست رفتن داده
rsit-information-content-security--data-leak = نشت اطلاعات محرمانه
rsit-fraud--unauthorised-use-of-resources = استفادهٔ غیرمجاز از منابع
rsit-fraud--copyright = نقض حق نشر
rsit-fraud--masquerade = جعل هویت
rsit-fraud--phishing = فیشینگ
rsit-vulnerable--weak-crypto = رمزنگاری ضعیف
rsit-vulnerable--ddos-amplifier = تقویت‌کنندهٔ DDoS
rsit-vulnerable--potentially-unwanted-accessible = خدمات در دسترسِ احتمالاً ناخواسته
rsit-vulnerable--information-disclosure = افشای اطلاعات
rsit-vulnerable--vulnerable-system = سامانهٔ آسیب‌پذیر
rsit-other--other = دسته‌بندی‌نشده
rsit-other--undetermined = نامشخص
rsit-test--test = آزمون

# Why something was refused, as the core cites it (Tr::cause).
cause-article = ماده { $article }
cause-article-clause = بند { $clause } ماده { $article }
cause-rights = حقوق مجموعه
cause-invalid = شیء STIX نامعتبر
cause-conflict = با نسخهٔ ذخیره‌شده متفاوت است
peer-halted = متوقف‌شده

# Date inputs (Persian pages take Solar Hijri dates).
date-placeholder = ۱۴۰۵/۰۹/۱۵
date-hint = تاریخ خورشیدی (مثلاً ۱۴۰۵/۰۹/۱۵) یا میلادی (YYYY-MM-DD)

# The audit page's key history (key rotations).
audit-keys = کلیدهای گره
audit-key-current = کلید کنونی (سرآیندهای تازهٔ درخت را امضا می‌کند)
audit-key-handover = واگذاری (چرخش کلید)
audit-key-retired = کلید بازنشسته (سرآیندهای پیشین را امضا کرده است)
audit-key-to = واگذار شده به

## Why the core refused: STIX validity (stix::Problem)
stix-not-json = این متن JSON نیست: { $detail }
stix-not-object = شیء باید یک شیء JSON باشد.
stix-shape = کارخواه‌ها این JSON را نمی‌توانند بخوانند: { $detail }
stix-repeated = ویژگی { $property } بیش از یک بار آمده است.
stix-missing = ویژگی الزامی { $property } وجود ندارد.
stix-missing-of = ویژگی { $property } که برای { $type } الزامی است، وجود ندارد.
stix-no-id = ویژگی id که برای { $type } الزامی است، وجود ندارد یا رشته نیست.
stix-expected-string = ویژگی { $property } باید رشته باشد.
stix-expected-boolean = ویژگی { $property } باید true یا false باشد.
stix-expected-list = ویژگی { $property } باید فهرست باشد.
stix-expected-non-empty-list = ویژگی { $property } نباید فهرست خالی باشد.
stix-expected-strings = ویژگی { $property } باید فهرستی از رشته‌ها باشد.
stix-expected-identifiers = ویژگی { $property } باید شناسه‌ی STIX داشته باشد.
stix-expected-identifier-list = ویژگی { $property } باید فهرستی از شناسه‌های STIX باشد.
stix-expected-object = ویژگی { $property } باید یک شیء باشد.
stix-expected-percent = ویژگی { $property } باید عدد صحیحی از ۰ تا ۱۰۰ باشد.
stix-expected-base64 = ویژگی { $property } باید base64 باشد (STIX 2.1 §2.1).
stix-timestamp-syntax = ویژگی { $property }: { $value } مهر زمانی STIX نیست (YYYY-MM-DDTHH:MM:SS[.s+]Z).
stix-timestamp-millis = ویژگی { $property }: { $value } تا دقت میلی‌ثانیه نیست (STIX 2.1 §3.2).
stix-timestamp-day = ویژگی { $property }: { $value } روزی را نام می‌برد که وجود ندارد.
stix-id-syntax = ویژگی { $property }: { $value } شناسه‌ای به شکل type--UUID نیست.
stix-id-rfc4122 = ویژگی { $property }: UUID در { $value } با RFC 4122 سازگار نیست.
stix-id-type = ویژگی { $property }: { $value } با نوع شیء { $type } آغاز نمی‌شود.
stix-wrong-reference = ویژگی { $property } باید به شیئی از نوع { $type } ارجاع دهد، نه { $value }.
stix-pattern = ویژگی pattern الگوی STIX نیست: { $detail }
stix-not-type-name = ویژگی type: { $value } نام نوع STIX نیست.
stix-bundle = بسته (bundle) را نمی‌توان به‌عنوان شیء ذخیره کرد (STIX 2.1 §8).
stix-spec-version = ویژگی spec_version برابر { $value } است؛ این گره STIX 2.1 را می‌پذیرد.
stix-marking-definition = تعریف نشانه‌گذاری به definition_type همراه با definition، یا به extensions نیاز دارد.
stix-modified-before-created = ویژگی modified زودتر از created است (STIX 2.1 §3.2).
stix-location = مکان به region، country، یا latitude همراه با longitude نیاز دارد.
stix-any-of = { $type } دست‌کم به یکی از این‌ها نیاز دارد: { $properties }.
stix-beyond-common = { $type } دست‌کم به یک ویژگی جز ویژگی‌های مشترک نیاز دارد.
stix-extension-key = کلید افزونه‌ی { $value } نه شناسه‌ی extension-definition است و نه نامی از پیش‌تعریف‌شده با پسوند ‎-ext.
stix-extension-not-object = افزونه‌ی { $value } باید یک شیء باشد.
stix-external-reference-not-object = هر ارجاع بیرونی باید یک شیء باشد.
stix-external-reference-source = هر ارجاع بیرونی به رشته‌ی source_name نیاز دارد.
stix-granular-not-object = هر نشانه‌گذاری جزئی باید یک شیء باشد.
stix-granular-selectors = هر نشانه‌گذاری جزئی به فهرستی ناتهی از selectors نیاز دارد.
stix-granular-marking-or-lang = هر نشانه‌گذاری جزئی به marking_ref یا lang نیاز دارد.
stix-language-code = ویژگی languages: { $value } کد زبان نیست (ISO 639-2، مثلاً eng).
refused-conflict = نسخه‌ی { $version } پیش‌تر با محتوای دیگری ذخیره شده است (STIX 2.1 §3.6).
refused-unnamed = شیء { $place } در بارگذاری (بی‌شناسه‌ی خوانا)

## Why the policy refused (policy::Reason)
denied-no-purpose = برای کاربر { $user } هیچ هدفی تعیین نشده و درخواست نیز هدفی اعلام نکرده است. گرداننده یکی از هدف‌های موافقت‌نامه ({ $purposes }) را برای کاربر تعیین می‌کند.
denied-unknown-purpose = { $purpose } از هدف‌های موافقت‌نامه نیست (هدف‌های مجاز: { $permitted }).
denied-purpose-not-bound = کاربر { $user } برای هدف { $purpose } تعیین نشده است (هدف‌های تعیین‌شده: { $bound }). گرداننده می‌تواند آن را تعیین کند.
denied-purposes-none = هیچ
denied-no-right-read = کاربر { $user } اجازه‌ی خواندن این مجموعه را ندارد. گرداننده می‌تواند آن را بدهد.
denied-no-right-write = کاربر { $user } اجازه‌ی نوشتن در این مجموعه را ندارد. گرداننده می‌تواند آن را بدهد.
denied-no-right-delete = کاربر { $user } اجازه‌ی حذف از این مجموعه را ندارد. گرداننده می‌تواند آن را بدهد.
denied-not-an-authority = سوابق موافقت‌نامه فقط میان مراجع صلاحیت‌دار جابه‌جا می‌شود؛ { $user } مرجع صلاحیت‌دار نیست.
denied-no-audit-right = کاربر { $user } اجازه‌ی خواندن دفتر ممیزی را ندارد.
denied-no-agreement = این گره تحت هیچ موافقت‌نامه‌ای کار نمی‌کند، پس چیزی به مرجع دیگری منتقل نمی‌کند.
denied-not-in-force = در { $day } موافقت‌نامه لازم‌الاجرا نیست: هیچ انتقالی از این گره انجام نمی‌شود.
denied-terminated = در { $day } موافقت‌نامه خاتمه یافته است: هیچ انتقالی از این گره انجام نمی‌شود.
denied-no-consent = { $object } از { $origin } دریافت شده و فقط با رضایت کتبی قبلی آن مرجع به طرف ثالث می‌رسد. { $gap }
gap-other-purpose = رضایت { $consent } برای هدف { $purpose } است، نه { $wanted }.
gap-revoked = رضایت { $consent } لغو شده است.
gap-expired = رضایت { $consent } در { $day } منقضی شده است.
gap-none-held = هیچ رضایتی از { $originator } برای { $recipient } در دست نیست.
denied-notice = { $object } مشمول اطلاعیه‌ی محرمانگی { $notice } از { $originator } است که رسیدن آن را به این محدود می‌کند: { $reach }.
denied-marked = نشانه‌گذاری { $object } آن را به این محدود می‌کند: { $reach }.
denied-marked-consent = نشانه‌گذاری { $object } آن را به این محدود می‌کند: { $reach }؛ رضایت، ماده‌ی ۶.۲ را برمی‌دارد، نه نشانه‌گذاری را.
denied-classified = این تعریف نشانه‌گذاری، اطلاعات را طبقه‌بندی می‌کند (طبقه‌بندی ACS: { $level }). اطلاعات طبقه‌بندی‌شده بر پایه‌ی موافقت‌نامه‌ی جداگانه درباره‌ی حفاظت از آن مبادله می‌شود، هرگز از طریق این گره.
denied-unreadable-marking = تعریف نشانه‌گذاری JSON نیست: { $detail }
denied-parts-beyond = بخش‌هایی از { $object } فراتر از این گیرنده نشانه‌گذاری شده و بدون آن‌ها نمی‌توان آن را ارائه کرد: { $detail }
denied-seal-covers-whole = این شیء را ویرایش‌شده دریافت می‌کنید؛ مهر فرستنده کل آن را پوشش می‌دهد، پس اینجا قابل بررسی نیست.

## Why a seal does not verify (provenance::SealFault)
seal-fault-no-key = این گره هیچ کلیدی از { $signer } نمی‌شناسد.
seal-fault-bad-key = کلیدی که برای امضاکننده شناخته شده قابل استفاده نیست: { $detail }
seal-fault-not-signed = مهر با کلید { $signer } امضا نشده است.
seal-fault-not-covered = امضا درست است، اما اثبات نشان نمی‌دهد این شیء زیر مهر است: { $detail }
seal-fault-redacted = این شیء را ویرایش‌شده دریافت می‌کنید؛ مهر فرستنده کل آن را پوشش می‌دهد، پس اینجا قابل بررسی نیست.
seal-fault-unchecked = مهر بررسی نشد: { $detail }

## Where the store and the audit log disagree (coverage::CoverageProblem)
coverage-unaccounted = { $id } { $version } (افزوده در { $added }) ذخیره شده، اما هیچ مدخل ممیزی آن را ثبت نکرده است.
coverage-removed-but-stored = { $id } { $version } ذخیره شده، اما مدخل { $entry } حذف آن را ثبت کرده است.
coverage-count = مدخل { $entry } افزودن { $added } نسخه را میان { $first } و { $last } ثبت کرده است؛ مخزن { $held } تا از آن‌ها را دارد (با احتساب آنچه از آن پس حذف شده).
coverage-mismatch = مدخل { $entry }: نسخه‌های ذخیره‌شده میان { $first } و { $last } همان‌هایی نیستند که ثبت کرده است.

## What damage the audit log's verification found (audit::Damage)
damage-no-first-key = نخستین واگذاری کلید هیچ کلید Ed25519 را نام نمی‌برد.
damage-missing = مدخل { $entry } وجود ندارد.
damage-replaced = مدخل { $entry }: بایت‌های ذخیره‌شده‌ی آن جایگزین شده است.
damage-changed = مدخل { $entry }: بایت‌ها یا درهم‌سازی برگ آن تغییر کرده است.
damage-subtree = درهم‌سازی ذخیره‌شده‌ی مدخل‌های { $first } تا { $last } تغییر کرده یا حذف شده است.
damage-unreadable-handover = مدخل { $entry }: واگذاری کلید خوانده نمی‌شود: { $detail }
damage-handover-breaks = مدخل { $entry }: واگذاری کلید، کلیدهای دفتر را ادامه نمی‌دهد.
damage-handover-absent = واگذاری کلیدی در مدخل { $entry } ثبت شده که آن را در بر ندارد.
damage-other-key = سرهای دفتر با کلید { $ended } پایان می‌یابند، نه با کلید این گره { $node }.
damage-head-beyond = یک سر درخت { $claims } مدخل ادعا می‌کند، اما دفتر { $holds } مدخل دارد.
damage-head-malformed = سر درخت در اندازه‌ی { $size } بدساخت است.
damage-head-root = سر درخت در اندازه‌ی { $size } با مدخل‌ها نمی‌خواند (ریشه فرق دارد).
damage-head-signature = امضای سر درخت در اندازه‌ی { $size } نامعتبر است.

## Why exchange with a peer halted (federation::witness::Breach)
breach-shrank = دفتر ممیزی همتا از { $was } مدخل به { $now } مدخل کوچک شده است: بازنویسی شده است.
breach-forked = دفتر ممیزی همتا در همان اندازهٔ { $size } مدخلِ گواهی‌شده ریشهٔ دیگری دارد: منشعب شده است.
breach-not-extension = دفتر ممیزی همتا با { $now } مدخل، { $was } مدخلِ گواهی‌شدهٔ پیشین را ادامه نمی‌دهد: بازنویسی یا منشعب شده است.
breach-bad-head = سر درخت امضاشدهٔ همتا معتبر نیست: { $why }
head-error-empty-carries = سرِ دفتری خالی، ریشه یا امضا دارد.
head-error-incomplete = سرِ دفتری ناخالی، زمان، ریشه یا امضای خود را ندارد.
head-error-timestamp = زمان آن خوانده نمی‌شود: { $detail }
head-error-signature-unreadable = امضای آن ۱۲۸ رقم در مبنای شانزده نیست.
head-error-root-unreadable = ریشهٔ آن چکیدهٔ SHA-256 در مبنای شانزده نیست.
head-error-not-signed = با کلید همتا امضا نشده است.
head-error-proof-hash = اثبات سازگاری مقداری دارد که چکیدهٔ SHA-256 در مبنای شانزده نیست.

## Why a page from a peer is quarantined (federation::distrust::Distrust)
distrust-not-authentic = پاسخ امضای معتبر همتا را ندارد: { $detail }
distrust-not-envelope = صفحه یک پاکت TAXII نیست: { $detail }
distrust-not-sealed = صفحه مهر ندارد.
distrust-wrong-signer = صفحه را { $signer } مهر کرده است، نه همتا { $peer }.
distrust-peer-key = کلیدی که برای { $peer } نگه داشته شده کلید Ed25519 نیست.
distrust-unhashable = یکی از اشیای صفحه شکل متعارف ندارد: { $detail }
distrust-last-mismatch = نقطهٔ ادامه (X-TAXII-Date-Added-Last) همان نیست که صفحه با آن مهر شده است.
distrust-no-last = مهرِ صفحه‌ای از اشیا هیچ نقطهٔ ادامه‌ای نام نمی‌برد.
distrust-not-a-peer = گرهٔ فرستنده همتای این گره نیست.
seal-error-not-base64 = سرآیند مهر base64 نیست.
seal-error-not-a-seal = سرآیند مهر، مهری در خود ندارد: { $detail }
seal-error-unknown-kind = مهر از نوعی است که این گره نمی‌شناسد: { $kind }
seal-error-signature-unreadable = امضای مهر ۱۲۸ رقم در مبنای شانزده نیست.
seal-error-not-signed-by = مهر را { $signer } امضا نکرده است.
seal-error-count = مهر { $sealed } شیء را پوشش می‌دهد؛ صفحه { $held } شیء دارد.
seal-error-not-the-objects = اشیای صفحه همان‌هایی نیستند که مهر بر آن‌ها امضا شده است.

## What is wrong with a signed record of the agreement (policy::ledger::LedgerError)
ledger-record = { $kind } { $id }: { $fault }
ledger-no-id = سندی ({ $kind }) شناسه ندارد.
ledger-key-unusable = کلیدی که برای { $signer } نگه داشته شده کلید Ed25519 نیست.
ledger-canonical = سند شکل متعارف (RFC 8785) ندارد: { $detail }
ledger-not-a-record = متن نگه‌داشته‌شده‌ای که به‌صورت سند خوانده نمی‌شود: { $detail }
record-kind-consent-request = درخواست رضایت
record-kind-consent = رضایت
record-kind-decline = درخواست ردشده
record-kind-revocation = پس‌گرفتن رضایت
record-kind-notice = اعلان محرمانگی
record-kind-ratification = تصویب
record-kind-designation = تعیین مرجع
record-kind-amendment = اصلاحیه
record-kind-termination = اعلام خاتمه
fault-other-agreement = به موافقت‌نامه‌ی { $named } تعلق دارد، نه به موافقت‌نامه‌ی این گره { $ours }.
fault-unknown-purpose = هدف آن { $purpose } از هدف‌های موافقت‌نامه نیست (ماده‌ی ۶.۴؛ هدف‌های مجاز: { $permitted }).
fault-same-authority = مبدأ و دارنده‌ی آن یک مرجع‌اند.
fault-empty = { $field } خالی است.
fault-not-an-id = { $field } مقدار { $value } را دارد که شناسه‌ی STIX نیست.
fault-designated = تنها سند تعیین، مرجع تعیین‌شده را نام می‌برد و سند تعیین باید آن را نام ببرد.
fault-amended = تنها اصلاحیه متن موافقت‌نامه‌ی اصلاح‌شده را دارد و اصلاحیه باید آن را داشته باشد.
fault-no-party = طرف و مرجعی را که آن را ثبت کرده نام نمی‌برد.
fault-designated-key = کلید مرجع تعیین‌شده { $key } کلید Ed25519 (۶۴ رقم در مبنای شانزده) نیست.
fault-amendment-text = متن موافقت‌نامه‌ی اصلاح‌شده خوانده نمی‌شود: { $detail }
fault-amends-other = موافقت‌نامه‌ی اصلاح‌شده { $id } نسخه‌ی { $version } است، نه { $ours } نسخه‌ی { $says }.
fault-version-not-raised = اصلاحیه باید نسخه را از { $current } بالاتر ببرد؛ نسخه‌ی آن { $says } است.
fault-not-a-selector = { $value } در میان ویژگی‌های آن گزینشگر STIX نیست (STIX 2.1 §7.2.3.1).
fault-unknown-signer = برای { $signer } امضا شده است، که کلیدش نه کلید این گره است و نه کلیدی که پرونده‌ی موافقت‌نامه یا سند تعیین امضاشده‌ای می‌دهد.
fault-other-key = با کلیدی امضا شده که از آنِ { $signer } نیست.
fault-signature-unreadable = امضای آن ۱۲۸ رقم در مبنای شانزده نیست.
fault-signature-mismatch = امضای آن با سند نمی‌خواند: پس از امضا تغییر کرده یا کس دیگری آن را امضا کرده است.
fault-not-the-granter = { $originator } رضایت { $consent } را نداده است، پس نمی‌تواند آن را پس بگیرد.

## What is wrong with what someone asked (symbolon_core::mistake::Mistake)
mistake-not-under-agreement = این گره هنوز زیر هیچ موافقت‌نامه‌ای نیست؛ گرداننده‌ی آن را زیر موافقت‌نامه می‌برد (symbolon agreement init).
mistake-own-authority = { $authority } مرجع خود این گره است: اطلاعات خود آن به رضایت نیاز ندارد.
mistake-not-third-party = { $recipient } طرف ثالث نیست (نوع آن { $kind } است)؛ رضایت برای طرف‌های ثالث است (ماده‌ی ۶.۲).
mistake-not-a-request = سندِ داده‌شده { $kind } است، نه درخواست رضایت.
mistake-asked-other = درخواست از { $asked } رضایت می‌خواهد؛ این گره { $me } است.
mistake-longer-than-asked = مدتی که داده‌اید ({ $expires }) دیرتر از مدتی است که دارنده درخواست کرده ({ $asked })؛ رضایت می‌تواند مدت را کوتاه کند، نه بلند.
mistake-already-granted = درخواست { $request } به‌صورت رضایت { $consent } پذیرفته شده است: به‌جای آن، آن رضایت را پس بگیرید.
mistake-already-declined = درخواست { $request } پیش‌تر رد شده است ({ $decline }).
mistake-not-one-of = { $what } { $value } یکی از این‌ها نیست: { $allowed }.
mistake-field-status = وضعیت
mistake-field-determination = تشخیص
mistake-field-outcome = نتیجه
mistake-field-impact-category = دسته‌ی اثر
mistake-field-recoverability = بازیابی‌پذیری
mistake-criticality = حساسیت { $value }: از ۰ تا ۱۰۰ است.
mistake-not-an-incident = { $id } شناسه‌ی رخداد نیست (incident--…).
mistake-incident-unnamed = رخداد نام لازم دارد.
mistake-task-unnamed = وظیفه نام لازم دارد.
mistake-not-incident-owner = { $id } از آنِ { $owner } است: تنها مالک رخداد نسخه‌ی تازه‌ی آن را می‌سازد (STIX 2.1 §3.6)؛ به‌جای آن وظیفه یا یادداشتی بیفزایید.
mistake-no-incident-extension = { $id } افزونه‌ی Incident Core ندارد.
mistake-not-a-task = { $id } شناسه‌ی وظیفه نیست (task--…).
mistake-not-task-author = { $id } از آنِ { $owner } است: تنها نویسنده‌ی وظیفه نسخه‌ی تازه‌ی آن را می‌سازد (STIX 2.1 §3.6).
mistake-impact-detail = جزئیات اثر { $name } نام ویژگی با حروف کوچک و زیرخط نیست (مثلاً availability_impact=80).
mistake-availability-impact = اثر بر دسترس‌پذیری availability_impact=N از ۰ تا ۱۰۰ لازم دارد.
mistake-note-empty = یادداشت محتوا لازم دارد.
mistake-decline-unexplained = خودداری از مشارکت، دلیل خود را می‌گوید.
mistake-relationship-type = نوع رابطه‌ی { $kind } واژه‌هایی با حروف کوچک که با خط تیره به هم پیوسته‌اند نیست (مثلاً related-to، detected، impacts).
mistake-rsit-unreadable = دسته‌ی RSIT { $text } خوانده نمی‌شود: class/type بنویسید، مثلاً malicious-code/infected-system.
mistake-rsit-content = دسته‌ی RSIT { $category } محتوا را طبقه‌بندی می‌کند، نه رخداد رایانه‌ای را: این گره تنها اطلاعات رخدادهای رایانه‌ای و حمله به زیرساخت اطلاعاتی را نگه می‌دارد.
mistake-rsit-class = رده‌ی RSIT { $class } وجود ندارد (رده‌ها: { $classes }).
mistake-rsit-type = رده‌ی RSIT { $class } نوع { $kind } ندارد (نوع‌ها: { $kinds }).
mistake-marking = نشانه‌گذاری { $name } برای این گره شناخته نیست: clear، green، amber، amber+strict، red یا شناسه‌ی marking-definition بدهید.
mistake-seen-at = زمان مشاهده‌ی { $text } خوانده نمی‌شود: { $detail }
mistake-sighting-count = یک مشاهده حداکثر { $most } بار شمرده می‌شود (STIX 2.1 §5.2).
mistake-origin-without-agreement = اطلاعاتی که از مرجع دیگری به دست آمده تنها در گره‌ای زیر موافقت‌نامه وارد می‌شود.
mistake-own-origin = { $authority } مرجع خود این گره است: اطلاعات آن را به‌عنوان اطلاعات خود این گره وارد کنید.
mistake-unknown-authority = { $authority } مرجع صلاحیت‌داری نیست که این گره بشناسد (پرونده‌ی موافقت‌نامه و اسناد تعیین این‌ها را نام می‌برند: { $known }).

## A file to import that is not a bundle or an envelope (symbolon_core::import::SourceError)
source-unreadable = پرونده‌ی { $file } خوانده نشد: { $detail }
source-not-a-document = پرونده‌ی { $file } بسته‌ی STIX یا پاکت TAXII نیست: { $why }
document-json = JSON معتبر نیست ({ $detail }).
document-not-a-container = شیء JSON با فهرستی از اشیا (`objects`) نیست.
document-bundle-id = شناسه‌ی بسته { $id } شناسه‌ی bundle نیست.
document-objects-not-a-list = `objects` آن فهرست نیست.
document-repeated = عضو { $member } بیش از یک بار آمده است و خواننده‌ها در اینکه کدام به حساب می‌آید هم‌نظر نیستند.
