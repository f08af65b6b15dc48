# Рабочее место Symbolon — русский.
skip-to-content = Перейти к содержимому
nav-label = Главное меню
nav-collections = Коллекции
nav-search = Поиск
language-label = Язык
search-label = Поиск
search-placeholder = ID, название, IP, домен, URL, хеш, e-mail
search-button = Найти
signed-in-as = Вы вошли как
sign-out = Выйти
back-home = К коллекциям
none = Нет.

login-title = Вход
login-username = Имя пользователя
login-password = Пароль
login-submit = Войти
login-expired = Срок действия формы входа истёк. Войдите ещё раз.
login-plain-http = Этот узел принимает пароли по открытому HTTP только со своего хоста. Подключитесь по HTTPS или обратитесь к оператору.
login-wrong = Неизвестный пользователь или неверный пароль.
login-slowed = { $count ->
    [one] Слишком много попыток для этого пользователя: повторите через { $shown } секунду.
    [few] Слишком много попыток для этого пользователя: повторите через { $shown } секунды.
    [many] Слишком много попыток для этого пользователя: повторите через { $shown } секунд.
   *[other] Слишком много попыток для этого пользователя: повторите через { $shown } секунды.
}

error-title = Что-то мешает
error-not-found = Здесь ничего нет: этого не существует или это вам не предназначено.
error-refused = Политика соглашения отклоняет этот запрос.
error-invalid = На этот запрос нельзя ответить в таком виде.
form-date = { $field }: { $value } — не дата. Укажите её как ГГГГ-ММ-ДД или как дату солнечной хиджры ГГГГ/ММ/ДД.
form-whole-number = { $field }: { $value } — не целое число.
form-percent = { $field }: { $value } — не целое число от 0 до 100.
form-choice = { $field }: { $value } — не один из предложенных вариантов.
form-not-stix-id = { $value } — не идентификатор STIX (type--UUID).
form-notice-no-objects = Уведомление должно называть хотя бы один объект.
form-not-signed-record = Данный текст — не подписанный запрос согласия.
form-upload = Загруженную форму не удалось прочитать целиком; загрузите ещё раз.
error-failed = Узел не смог ответить. Причину оператор найдёт в журнале узла.
error-csrf = Срок действия формы истёк, или она пришла не из этого рабочего места. Попробуйте ещё раз.

collections-title = Коллекции
collections-none = На этом узле нет коллекций, которые вы можете читать или пополнять.
col-title = Название
col-objects = Доступные вам объекты
col-rights = Ваши права
col-id = ID
col-name = Название
col-type = Тип
col-markings = Маркировки
col-origin = Источник
col-version = Версия
col-added = Добавлено
col-changes = Изменённые свойства
col-match = Совпадение
col-sightings = Наблюдения
col-collection = Коллекция
objects-count = { $count ->
    [one] { $shown } объект
    [few] { $shown } объекта
    [many] { $shown } объектов
   *[other] { $shown } объекта
}
objects-count-more = более { $shown } объектов
count-refused = не для вашей цели
rights-read-write = чтение и запись
rights-read = чтение
rights-write = только запись

filter-type = Тип
filter-marking = Маркировка
filter-origin = Источник
filter-origin-hint = орган или «own»
filter-added-after = Добавлено после
filter-text = Текст в названии или описании
filter-apply = Применить
filter-bad-date = «{ $value }» — не дата (ГГГГ-ММ-ДД); фильтр не применён.
filter-looked-through = Просмотрено объектов: { $shown }; остальное — на следующей странице.
objects-none = Нет доступных вам объектов, отвечающих условиям.
objects-on-page = { $count ->
    [one] { $shown } объект на странице
    [few] { $shown } объекта на странице
    [many] { $shown } объектов на странице
   *[other] { $shown } объекта на странице
}
origin-own = этот орган
pager-label = Страницы
pager-first = Первая страница
pager-next = Следующая страница

reach-local = только этот орган
reach-parties = компетентные органы Сторон
reach-anyone = любой получатель (в том числе третья сторона, с учётом ст. 6.2)
reach-overall = По соглашению этот объект может дойти до: { $reach }. Решает самая строгая маркировка.
consent-note = Получено от { $origin }: третьей стороне передаётся только с предварительного письменного согласия { $origin } (ст. 6.2).

fact-id = ID
fact-type = Тип
fact-description = Описание
fact-origin = Источник
fact-version = Версия
markings-title = Маркировки
markings-none = Маркировок нет.
sightings-title = Наблюдения
sighted-times = { $count ->
    [one] Наблюдался { $shown } раз:
    [few] Наблюдался { $shown } раза:
    [many] Наблюдался { $shown } раз:
   *[other] Наблюдался { $shown } раза:
}
false-positives = { $count ->
    [one] · { $shown } сообщение о ложном срабатывании
    [few] · { $shown } сообщения о ложном срабатывании
    [many] · { $shown } сообщений о ложном срабатывании
   *[other] · { $shown } сообщения о ложном срабатывании
}
versions-title = Доступные вам версии
changes-first = первая показанная версия
refs-out-title = Объекты, на которые он ссылается
refs-in-title = Объекты, ссылающиеся на него
refs-in-more = Ссылающихся объектов больше, чем показано.
json-title = В том виде, в каком он выдан вам (STIX 2.1)

search-title = Поиск
search-help = STIX ID находит сам объект; IP-адрес или диапазон, домен, URL, хеш или адрес e-mail ищутся в индексе корреляции; прочий текст ищется в названиях и описаниях.
search-values = Объекты с этим значением
search-warninglists = В списках предупреждений (вероятно ложное срабатывание):
search-no-value-hits = Нет доступных вам объектов с этим значением.
search-over-correlated = Это значение содержат больше объектов, чем показано (избыточная корреляция).
search-objects = Названия и описания
search-no-hits = Нет доступных вам объектов, отвечающих запросу.
search-looked = { $count ->
    [one] Просмотрен { $shown } объект.
    [few] Просмотрено { $shown } объекта.
    [many] Просмотрено { $shown } объектов.
   *[other] Просмотрено { $shown } объекта.
}

nav-incidents = Инциденты
incidents-title = Инциденты
incidents-none = Нет доступных вам инцидентов.
incident-status = Статус
incident-determination = Заключение
incident-category = Категория (RSIT)
incident-owner = Владелец
incident-criticality = Критичность (0–100)
incident-open-title = Открыть инцидент
incident-open = Открыть
incident-timeline = Хронология (обе Стороны)
incident-when = Когда
incident-kind = Запись
incident-author = Автор
incident-what = Что
incident-seal = Печать
seal-own = создано здесь
seal-verified = подтверждена, подписал
seal-failed = не подтверждается:
seal-none = без печати
incident-act = Участвовать
incident-update = Изменить состояние (только владелец)
incident-task = Задача
incident-outcome = Результат
incident-add-task = Добавить задачу
incident-note = Заметка
incident-declined = отказ от участия с указанием причины
incident-add-note = Добавить заметку
incident-link-object = Связать объект (STIX ID)
incident-link-kind = Тип связи
incident-link = Связать

nav-agreement = Соглашение
nav-peers = Узлы-партнёры
nav-audit = Аудит
agreement-title = Соглашение
agreement-none = Этот узел ещё не работает по соглашению (symbolon agreement init).
agreement-name = Соглашение
agreement-version = Версия политики
agreement-node = Этот узел
agreement-state = Состояние на сегодня
agreement-signed = Подписано
agreement-entry-into-force = Вступление в силу
agreement-awaiting = ещё нет: ожидаются уведомления Сторон
agreement-termination = Прекращение действия
agreement-not-in-force = не вступило в силу
agreement-in-force = в силе
agreement-ending = в силе; прекращает действие { $date }
agreement-terminated = прекратило действие { $date }; защита информации и согласованные совместные мероприятия продолжаются (ст. 9.4)
agreement-parties = Стороны и компетентные органы
agreement-party = Сторона
agreement-authorities = Компетентные органы
agreement-deadline = Срок назначения (рабочие дни)
agreement-designated = Назначен
agreement-late = после срока
agreement-refused = Уведомления, которые не учитываются
peers-title = Узлы-партнёры
peers-none = Этому узлу не известен ни один узел-партнёр.
peer-id = Партнёр
peer-state = Состояние
peer-witnessed = Его журнал аудита, засвидетельствованный здесь
peer-exchanges = Обмены
peer-pull = получение из
peer-push = отправка в
peer-not-yet = ещё нет
peer-exchanging = обмен идёт
peer-confirm = Я разобрался в нарушении и возобновляю обмен
peer-resume = Возобновить
peer-confirm-needed = Для возобновления обмена с остановленным узлом нужно ваше подтверждение: отметьте флажок.
quarantine-title = Карантин
quarantine-why = Причина
quarantine-bytes = Байт
peer-halted-why = Его журнал аудита не продолжает то, что засвидетельствовал этот узел: он переписан или разветвлён. Обмен с ним остановлен, пока оператор его не возобновит. Пояснение узла:
quarantine-intro = Страницы от узла-партнёра, не прошедшие проверку (подписи, печати или содержимого): ничто из них не попало в коллекции, следующая синхронизация запросит их снова. Для каждой — пояснение узла о причине.
calendar-summary = { $party }: месяц срока в её рабочем календаре
calendar-week-starts = неделя начинается:
calendar-rest = Еженедельный выходной (нерабочий день)
calendar-holiday = Праздничный день (нерабочий день)
calendar-legend = Затенённые дни не считаются: еженедельные выходные и праздники стороны. День в рамке — срок.
audit-title = Журнал аудита
audit-head = Подписанная вершина дерева
audit-head-size = Размер дерева (записей)
audit-head-signed = Подписана
audit-head-root = Хеш корня
audit-head-signature = Подпись
audit-head-none = Вершина дерева ещё не подписана: журнал пуст.
audit-head-json = Вершина дерева в виде журнала (JSON)
audit-verify = Проверить журнал по хранилищу
audit-intact = Целостен: журнал проверен и учитывает ровно то, что хранится.
audit-damaged = НЕ целостен: см. ниже.
audit-stored = Хранимые версии
audit-accounted = Версии, учтённые журналом
audit-problems = Проблемы
audit-deleted = Удалённые коллекции
audit-deleted-by = Удалена записью
audit-deleted-versions = Удалено версий
audit-deleted-covered = Учтено: удалено ровно то, что учитывал журнал.
audit-deleted-uncovered = НЕ учтено: удаление и журнал расходятся.
audit-entries = Последние записи
audit-entry = Запись { $n }
audit-proof-help = Запись в журнале с доказательством включения в дерево последней подписанной вершины (RFC 9162).

nav-consents = Согласия и уведомления
consents-title = Согласия (ст. 6.2) и уведомления (ст. 6.3)
consents-waiting = Запросы, ожидающие подписи этого органа
consent-holder = Держатель
consent-recipient = Третья сторона
consent-purpose = Цель
consent-expires = До
consent-answer = Ответ
consent-shorter = Более короткий срок (необязательно)
consent-grant = Дать согласие
consent-request = Запрос
consents-declined = Отклонённые запросы
consent-decline-reason = Причина (необязательно)
consent-decline = Отклонить
consent-from-file = Запрос, полученный файлом
consent-request-json = Подписанный запрос (JSON)
consents-held = Имеющиеся согласия
consent-originator = Источник
consent-confirm = Я отзываю это согласие
consent-revoke = Отозвать
consent-confirm-needed = Для отзыва согласия нужно ваше подтверждение: отметьте флажок.
notices-title = Уведомления о конфиденциальности
notice-objects = Объекты (STIX ID)
notice-properties = Свойства (пусто: весь объект)
notice-reach = Может дойти до
notice-reach-holder = только пользователи органа-держателя
notice-reach-parties = компетентные органы Сторон, но не третья сторона
notice-reason = Причина
notice-issue = Направить уведомление

nav-transfer = Импорт и экспорт
transfer-title = Импорт и экспорт
import-title = Импорт пакета
import-origin = Получено от
import-file = Пакет STIX или конверт TAXII (JSON)
import-submit = Импортировать
import-added = Добавлено:
import-unchanged = уже было:
import-rejected = отклонено:
import-rule = Правило
export-title = Экспорт для получателя
export-for = Получатель
export-preview = Предпросмотр
export-preview-of = Что даст экспорт
export-served = Будет выдано
export-redacted = Выдано с изъятиями
export-withheld = Удержано по
export-submit = Экспортировать (записывается как передача)

sighted-by = { $by }: { $count } (последний раз { $last })
sighting-count = Сколько раз
sighting-seen = Последний раз
sighting-note = Где, как
sighting-false-positive = ложное срабатывание (не наблюдение)
sighting-record = Записать (уйдёт источнику)

vocab-new = новый
vocab-open = открыт
vocab-closed = закрыт
vocab-blocked = заблокирован
vocab-confirmed = подтверждён
vocab-failed-attempt = неудачная попытка
vocab-false-positive = ложное срабатывание
vocab-low-value = малозначимый
vocab-successful-attempt = успешная попытка
vocab-suspected = предполагаемый
vocab-cancelled = отменена
vocab-failed = не выполнена
vocab-ongoing = выполняется
vocab-pending = ожидает
vocab-successful = выполнена
vocab-unknown = неизвестно
vocab-valid = действует
vocab-expired = истекло
vocab-revoked = отозвано

# Incident timeline entries, in parts.
timeline-opened = открыт
timeline-details-updated = сведения обновлены
timeline-impact-of = последствие: { $category }
timeline-linked = связь:
timeline-last = последний раз
timeline-sighted = { $count ->
    [one] замечен { $shown } раз
    [few] замечен { $shown } раза
    [many] замечен { $shown } раз
   *[other] замечен { $shown } раза
}

# Timeline entry kinds, opinions and impact categories (Incident Core extension).
vocab-incident = инцидент
vocab-task = задача
vocab-impact = последствие
vocab-note = заметка
vocab-declined = отказ от участия
vocab-opinion = мнение
vocab-link = связь
vocab-sighting = наблюдение
vocab-strongly-disagree = категорически не согласен
vocab-disagree = не согласен
vocab-neutral = нейтрально
vocab-agree = согласен
vocab-strongly-agree = полностью согласен
vocab-availability = доступность
vocab-confidentiality = конфиденциальность
vocab-external = внешнее
vocab-integrity = целостность
vocab-monetary = финансовое
vocab-physical = физическое
vocab-traceability = прослеживаемость

# RSIT (the Reference Security Incident Taxonomy): classes, then class--type.
rsit-abusive-content = Нежелательный контент
rsit-malicious-code = Вредоносный код
rsit-information-gathering = Сбор информации
rsit-intrusion-attempts = Попытки вторжения
rsit-intrusions = Вторжения
rsit-availability = Доступность
rsit-information-content-security = Безопасность информации
rsit-fraud = Мошенничество
rsit-vulnerable = Уязвимости
rsit-other = Прочее
rsit-test = Тест
rsit-abusive-content--spam = Спам
rsit-malicious-code--infected-system = Заражённая система
rsit-malicious-code--c2-server = Сервер управления (C2)
rsit-malicious-code--malware-distribution = Распространение вредоносного ПО
rsit-malicious-code--malware-configuration = Конфигурация вредоносного ПО
rsit-information-gathering--scanner = Сканирование
rsit-information-gathering--sniffing = Перехват трафика
rsit-information-gathering--social-engineering = Социальная инженерия
rsit-intrusion-attempts--ids-alert = Эксплуатация известных уязвимостей
rsit-intrusion-attempts--brute-force = Попытки входа
rsit-intrusion-attempts--exploit = Новая сигнатура атаки
rsit-intrusions--privileged-account-compromise = Компрометация привилегированной учётной записи
rsit-intrusions--unprivileged-account-compromise = Компрометация непривилегированной учётной записи
rsit-intrusions--application-compromise = Компрометация приложения
rsit-intrusions--system-compromise = Компрометация системы
rsit-intrusions--burglary = Физическое проникновение
rsit-availability--dos = Отказ в обслуживании
rsit-availability--ddos = Распределённый отказ в обслуживании
rsit-availability--misconfiguration = Ошибка конфигурации
rsit-availability--sabotage = Саботаж
rsit-availability--outage = Перебой в работе
rsit-information-content-security--unauthorised-information-access = Несанкционированный доступ к информации
rsit-information-content-security--unauthorised-information-modification = Несанкционированное изменение информации
rsit-information-content-security--data-loss = Потеря данных
rsit-information-content-security--data-leak = Утечка конфиденциальной информации
rsit-fraud--unauthorised-use-of-resources = Несанкционированное использование ресурсов
rsit-fraud--copyright = Нарушение авторских прав
rsit-fraud--masquerade = Выдача себя за другого
rsit-fraud--phishing = Фишинг
rsit-vulnerable--weak-crypto = Слабая криптография
rsit-vulnerable--ddos-amplifier = Усилитель DDoS
rsit-vulnerable--potentially-unwanted-accessible = Потенциально нежелательные доступные сервисы
rsit-vulnerable--information-disclosure = Раскрытие информации
rsit-vulnerable--vulnerable-system = Уязвимая система
rsit-other--other = Без категории
rsit-other--undetermined = Не определено
rsit-test--test = Тест

# Why something was refused, as the core cites it (Tr::cause).
cause-article = ст. { $article }
cause-article-clause = п. { $clause } ст. { $article }
cause-rights = права на коллекцию
cause-invalid = недопустимый объект STIX
cause-conflict = отличается от хранимой версии
peer-halted = ОСТАНОВЛЕН

# Date inputs (Persian pages take Solar Hijri dates).
date-placeholder = ГГГГ-ММ-ДД
date-hint = Дата: ГГГГ-ММ-ДД

# The audit page's key history (key rotations).
audit-keys = Ключи узла
audit-key-current = Действующий ключ (подписывает новые заголовки дерева)
audit-key-handover = Передача (смена ключа)
audit-key-retired = Выведенный ключ (подписывал прежние заголовки)
audit-key-to = Передано ключу

## Why the core refused: STIX validity (stix::Problem)
stix-not-json = Это не JSON: { $detail }
stix-not-object = Объект должен быть объектом JSON.
stix-shape = Клиенты не смогли бы прочитать этот JSON: { $detail }
stix-repeated = Свойство { $property } встречается более одного раза.
stix-missing = Отсутствует обязательное свойство { $property }.
stix-missing-of = Отсутствует свойство { $property }, обязательное для { $type }.
stix-no-id = Свойство id, обязательное для { $type }, отсутствует или не является строкой.
stix-expected-string = Свойство { $property } должно быть строкой.
stix-expected-boolean = Свойство { $property } должно быть true или false.
stix-expected-list = Свойство { $property } должно быть списком.
stix-expected-non-empty-list = Свойство { $property } не должно быть пустым списком.
stix-expected-strings = Свойство { $property } должно быть списком строк.
stix-expected-identifiers = Свойство { $property } должно содержать идентификаторы STIX.
stix-expected-identifier-list = Свойство { $property } должно быть списком идентификаторов STIX.
stix-expected-object = Свойство { $property } должно быть объектом.
stix-expected-percent = Свойство { $property } должно быть целым числом от 0 до 100.
stix-expected-base64 = Свойство { $property } должно быть в base64 (STIX 2.1 §2.1).
stix-timestamp-syntax = Свойство { $property }: { $value } — не метка времени STIX (YYYY-MM-DDTHH:MM:SS[.s+]Z).
stix-timestamp-millis = Свойство { $property }: { $value } — не с точностью до миллисекунды (STIX 2.1 §3.2).
stix-timestamp-day = Свойство { $property }: { $value } называет несуществующий день.
stix-id-syntax = Свойство { $property }: { $value } — не идентификатор вида type--UUID.
stix-id-rfc4122 = Свойство { $property }: UUID в { $value } не соответствует RFC 4122.
stix-id-type = Свойство { $property }: { $value } не начинается с типа объекта { $type }.
stix-wrong-reference = Свойство { $property } должно ссылаться на объект типа { $type }, а не на { $value }.
stix-pattern = Свойство pattern — не шаблон STIX: { $detail }
stix-not-type-name = Свойство type: { $value } — не имя типа STIX.
stix-bundle = Пакет (bundle) нельзя сохранить как объект (STIX 2.1 §8).
stix-spec-version = Свойство spec_version равно { $value }; этот узел принимает STIX 2.1.
stix-marking-definition = Определению маркировки нужны definition_type вместе с definition либо extensions.
stix-modified-before-created = Свойство modified раньше, чем created (STIX 2.1 §3.2).
stix-location = Местоположению нужны region, country либо latitude вместе с longitude.
stix-any-of = { $type } требует хотя бы одно из: { $properties }.
stix-beyond-common = { $type } требует хотя бы одно свойство помимо общих.
stix-extension-key = Ключ расширения { $value } — не идентификатор extension-definition и не предопределённое имя с -ext.
stix-extension-not-object = Расширение { $value } должно быть объектом.
stix-external-reference-not-object = Каждая внешняя ссылка должна быть объектом.
stix-external-reference-source = Каждой внешней ссылке нужна строка source_name.
stix-granular-not-object = Каждая частичная маркировка должна быть объектом.
stix-granular-selectors = Каждой частичной маркировке нужен непустой список selectors.
stix-granular-marking-or-lang = Каждой частичной маркировке нужны marking_ref или lang.
stix-language-code = Свойство languages: { $value } — не код языка (ISO 639-2, например eng).
refused-conflict = Версия { $version } уже хранится с другим содержимым (STIX 2.1 §3.6).
refused-unnamed = объект { $place } загрузки (без читаемого id)

## Why the policy refused (policy::Reason)
denied-no-purpose = Пользователю { $user } не назначена цель, и запрос её не объявляет. Оператор назначает пользователю одну из целей соглашения ({ $purposes }).
denied-unknown-purpose = { $purpose } — не цель соглашения (допустимые: { $permitted }).
denied-purpose-not-bound = Пользователю { $user } не назначена цель { $purpose } (назначены: { $bound }). Оператор может её назначить.
denied-purposes-none = нет
denied-no-right-read = Пользователь { $user } не может читать эту коллекцию. Оператор может дать это право.
denied-no-right-write = Пользователь { $user } не может записывать в эту коллекцию. Оператор может дать это право.
denied-no-right-delete = Пользователь { $user } не может удалять из этой коллекции. Оператор может дать это право.
denied-not-an-authority = Записи соглашения передаются только между компетентными органами; { $user } к ним не относится.
denied-no-audit-right = Пользователь { $user } не может читать журнал аудита.
denied-no-agreement = Этот узел не работает ни по какому соглашению, поэтому ничего не передаёт другому органу.
denied-not-in-force = На { $day } соглашение не вступило в силу: ничто не покидает этот узел.
denied-terminated = На { $day } действие соглашения прекращено: ничто не покидает этот узел.
denied-no-consent = { $object } получен от { $origin } и доходит до третьей стороны только с предварительного письменного согласия этого органа. { $gap }
gap-other-purpose = Согласие { $consent } дано для цели { $purpose }, а не { $wanted }.
gap-revoked = Согласие { $consent } отозвано.
gap-expired = Срок согласия { $consent } истёк { $day }.
gap-none-held = Согласия { $originator } для { $recipient } нет.
denied-notice = На { $object } распространяется уведомление о конфиденциальности { $notice } от { $originator }, которое допускает только: { $reach }.
denied-marked = Маркировка { $object } допускает только: { $reach }.
denied-marked-consent = Маркировка { $object } допускает только: { $reach }; согласие снимает ст. 6.2, но не маркировку.
denied-classified = Это определение маркировки засекречивает информацию (гриф ACS: { $level }). Секретная информация передаётся по отдельному соглашению о её защите и никогда через этот узел.
denied-unreadable-marking = Определение маркировки — не JSON: { $detail }
denied-parts-beyond = Части { $object } маркированы сверх допустимого для этого получателя, и без них его нельзя выдать: { $detail }
denied-seal-covers-whole = Вы получаете этот объект с изъятиями; печать отправителя охватывает его целиком, поэтому здесь её не проверить.

## Why a seal does not verify (provenance::SealFault)
seal-fault-no-key = Этому узлу не известен ключ { $signer }.
seal-fault-bad-key = Известный ключ подписавшего непригоден: { $detail }
seal-fault-not-signed = Печать не подписана ключом { $signer }.
seal-fault-not-covered = Подпись верна, но доказательство не показывает этот объект под печатью: { $detail }
seal-fault-redacted = Вы получаете этот объект с изъятиями; печать отправителя охватывает его целиком, поэтому здесь её не проверить.
seal-fault-unchecked = Печать не удалось проверить: { $detail }

## Where the store and the audit log disagree (coverage::CoverageProblem)
coverage-unaccounted = { $id } { $version } (добавлен { $added }) хранится, но ни одна запись аудита его не учитывает.
coverage-removed-but-stored = { $id } { $version } хранится, но запись { $entry } фиксирует его удаление.
coverage-count = Запись { $entry } учитывает { $added } версий, добавленных между { $first } и { $last }; в хранилище их { $held } (с учётом удалённых позже).
coverage-mismatch = Запись { $entry }: версии, хранимые между { $first } и { $last }, — не те, что она учитывает.

## What damage the audit log's verification found (audit::Damage)
damage-no-first-key = Первая передача ключа не называет ключ Ed25519.
damage-missing = Запись { $entry } отсутствует.
damage-replaced = Запись { $entry }: её хранимые байты заменены.
damage-changed = Запись { $entry }: изменены её байты или хеш листа.
damage-subtree = Хранимый хеш записей с { $first } по { $last } изменён или удалён.
damage-unreadable-handover = Запись { $entry }: передача ключа не читается: { $detail }
damage-handover-breaks = Запись { $entry }: передача ключа не продолжает ключи журнала.
damage-handover-absent = Передача ключа отмечена в записи { $entry }, которая её не содержит.
damage-other-key = Заголовки журнала заканчиваются ключом { $ended }, а не ключом этого узла { $node }.
damage-head-beyond = Заголовок дерева заявляет { $claims } записей, а в журнале их { $holds }.
damage-head-malformed = Заголовок дерева размера { $size } повреждён.
damage-head-root = Заголовок дерева размера { $size } не соответствует записям (корень другой).
damage-head-signature = Подпись заголовка дерева размера { $size } недействительна.

## Why exchange with a peer halted (federation::witness::Breach)
breach-shrank = Журнал аудита узла-партнёра сократился (было записей: { $was }, стало: { $now }): он переписан.
breach-forked = У журнала аудита узла-партнёра другой корень при уже засвидетельствованном размере (записей: { $size }): он разветвлён.
breach-not-extension = Журнал аудита узла-партнёра (записей: { $now }) не продолжает засвидетельствованный ранее (записей: { $was }): он переписан или разветвлён.
breach-bad-head = Подписанный заголовок дерева узла-партнёра недействителен: { $why }
head-error-empty-carries = заголовок пустого журнала несёт корень или подпись.
head-error-incomplete = заголовку непустого журнала недостаёт времени, корня или подписи.
head-error-timestamp = его время не читается: { $detail }
head-error-signature-unreadable = его подпись — не 128 шестнадцатеричных цифр.
head-error-root-unreadable = его корень — не шестнадцатеричный хеш SHA-256.
head-error-not-signed = он не подписан ключом узла-партнёра.
head-error-proof-hash = доказательство согласованности содержит значение, не являющееся шестнадцатеричным хешем SHA-256.

## Why a page from a peer is quarantined (federation::distrust::Distrust)
distrust-not-authentic = Ответ не несёт действительной подписи узла-партнёра: { $detail }
distrust-not-envelope = Страница не является конвертом TAXII: { $detail }
distrust-not-sealed = Страница не запечатана.
distrust-wrong-signer = Страница запечатана { $signer }, а не узлом-партнёром { $peer }.
distrust-peer-key = Ключ, хранимый для { $peer }, не является ключом Ed25519.
distrust-unhashable = У одного из объектов страницы нет канонической формы: { $detail }
distrust-last-mismatch = Позиция продолжения (X-TAXII-Date-Added-Last) не та, с которой страница была запечатана.
distrust-no-last = Печать страницы с объектами не называет позиции продолжения.
distrust-not-a-peer = Отправивший узел не является партнёром этого узла.
seal-error-not-base64 = Заголовок печати не в base64.
seal-error-not-a-seal = Заголовок печати не содержит печати: { $detail }
seal-error-unknown-kind = Печать неизвестного этому узлу вида: { $kind }
seal-error-signature-unreadable = Подпись печати — не 128 шестнадцатеричных цифр.
seal-error-not-signed-by = Печать не подписана { $signer }.
seal-error-count = Печать охватывает объектов: { $sealed }; на странице их: { $held }.
seal-error-not-the-objects = Объекты страницы — не те, над которыми подписана печать.

## What is wrong with a signed record of the agreement (policy::ledger::LedgerError)
ledger-record = { $kind } { $id }: { $fault }
ledger-no-id = { $kind } без идентификатора.
ledger-key-unusable = Ключ, хранимый для { $signer }, не является ключом Ed25519.
ledger-canonical = У записи нет канонической формы (RFC 8785): { $detail }
ledger-not-a-record = Хранимый текст не читается как запись: { $detail }
record-kind-consent-request = Запрос согласия
record-kind-consent = Согласие
record-kind-decline = Отклонённый запрос
record-kind-revocation = Отзыв согласия
record-kind-notice = Уведомление о конфиденциальности
record-kind-ratification = Ратификация
record-kind-designation = Назначение органа
record-kind-amendment = Поправка
record-kind-termination = Уведомление о прекращении
fault-other-agreement = запись относится к соглашению { $named }, а не к соглашению этого узла { $ours }.
fault-unknown-purpose = цель { $purpose } не входит в цели соглашения (ст. 6.4; допустимые: { $permitted }).
fault-same-authority = источник и держатель — один и тот же орган.
fault-empty = поле { $field } пусто.
fault-not-an-id = поле { $field } содержит { $value }, что не является идентификатором STIX.
fault-designated = назначаемый орган называет только назначение, и назначение обязано его называть.
fault-amended = текст изменённого соглашения несёт только поправка, и поправка обязана его нести.
fault-no-party = не названы сторона и орган, зарегистрировавший запись.
fault-designated-key = ключ назначенного органа { $key } не является ключом Ed25519 (64 шестнадцатеричные цифры).
fault-amendment-text = текст изменённого соглашения не читается: { $detail }
fault-amends-other = изменённое соглашение — { $id } версии { $version }, а не { $ours } версии { $says }.
fault-version-not-raised = поправка должна поднять версию выше { $current }; в ней указано { $says }.
fault-not-a-selector = { $value } среди свойств не является селектором STIX (STIX 2.1 §7.2.3.1).
fault-unknown-signer = подпись поставлена за { $signer }, чей ключ не принадлежит этому узлу и не дан ни файлом соглашения, ни подписанным назначением.
fault-other-key = подпись сделана ключом, который не принадлежит { $signer }.
fault-signature-unreadable = подпись — не 128 шестнадцатеричных цифр.
fault-signature-mismatch = подпись не соответствует записи: запись изменена после подписания или подписана кем-то другим.
fault-not-the-granter = { $originator } не давал согласие { $consent } и потому не может его отозвать.

## What is wrong with what someone asked (symbolon_core::mistake::Mistake)
mistake-not-under-agreement = Этот узел ещё не действует по соглашению; его оператор подключает его к соглашению (symbolon agreement init).
mistake-own-authority = { $authority } — собственный орган этого узла: для его собственной информации согласие не нужно.
mistake-not-third-party = { $recipient } не является третьей стороной (вид: { $kind }); согласие даётся для третьих сторон (ст. 6.2).
mistake-not-a-request = Переданная запись — { $kind }, а не запрос согласия.
mistake-asked-other = Запрос просит согласия у { $asked }; этот узел — { $me }.
mistake-longer-than-asked = Указанный вами срок ({ $expires }) позже срока, запрошенного держателем ({ $asked }); согласие может сократить срок, но не продлить.
mistake-already-granted = Запрос { $request } удовлетворён согласием { $consent }: вместо этого отзовите это согласие.
mistake-already-declined = Запрос { $request } уже отклонён ({ $decline }).
mistake-not-one-of = Значение { $value } поля «{ $what }» не входит в список: { $allowed }.
mistake-field-status = статус
mistake-field-determination = заключение
mistake-field-outcome = результат
mistake-field-impact-category = категория воздействия
mistake-field-recoverability = восстановимость
mistake-criticality = Критичность { $value }: допустимо от 0 до 100.
mistake-not-an-incident = { $id } — не идентификатор инцидента (incident--…).
mistake-incident-unnamed = Инциденту нужно название.
mistake-task-unnamed = Задаче нужно название.
mistake-not-incident-owner = { $id } принадлежит { $owner }: новые версии инцидента создаёт только его владелец (STIX 2.1 §3.6); вместо этого добавьте задачу или заметку.
mistake-no-incident-extension = У { $id } нет расширения Incident Core.
mistake-not-a-task = { $id } — не идентификатор задачи (task--…).
mistake-not-task-author = { $id } принадлежит { $owner }: новые версии задачи создаёт только её автор (STIX 2.1 §3.6).
mistake-impact-detail = Параметр воздействия { $name } — не имя свойства строчными буквами с подчёркиваниями (например, availability_impact=80).
mistake-availability-impact = Воздействию на доступность нужно availability_impact=N, от 0 до 100.
mistake-note-empty = Заметке нужно содержание.
mistake-decline-unexplained = Отказ от участия указывает свою причину.
mistake-relationship-type = Тип связи { $kind } — не строчные слова через дефис (например, related-to, detected, impacts).
mistake-rsit-unreadable = Категория RSIT { $text } не читается: пишите class/type, например malicious-code/infected-system.
mistake-rsit-content = Категория RSIT { $category } классифицирует содержимое, а не компьютерный инцидент: этот узел несёт только информацию о компьютерных инцидентах и атаках на информационную инфраструктуру.
mistake-rsit-class = Класса RSIT { $class } не существует (классы: { $classes }).
mistake-rsit-type = У класса RSIT { $class } нет типа { $kind } (типы: { $kinds }).
mistake-marking = Маркировка { $name } этому узлу не известна: укажите clear, green, amber, amber+strict, red или идентификатор marking-definition.
mistake-seen-at = Время обнаружения { $text } не читается: { $detail }
mistake-sighting-count = Обнаружение засчитывается не более { $most } раз (STIX 2.1 §5.2).
mistake-origin-without-agreement = Информация, полученная от другого органа, импортируется только на узле, действующем по соглашению.
mistake-own-origin = { $authority } — собственный орган этого узла: импортируйте его информацию как собственную информацию узла.
mistake-unknown-authority = { $authority } не является известным этому узлу компетентным органом (файл соглашения и назначения называют: { $known }).

## A file to import that is not a bundle or an envelope (symbolon_core::import::SourceError)
source-unreadable = Файл { $file } не удалось прочитать: { $detail }
source-not-a-document = Файл { $file } не является пакетом STIX или конвертом TAXII: { $why }
document-json = это недопустимый JSON ({ $detail }).
document-not-a-container = это не объект JSON со списком объектов (`objects`).
document-bundle-id = идентификатор пакета { $id } не является идентификатором bundle.
document-objects-not-a-list = его `objects` — не список.
document-repeated = член { $member } встречается более одного раза, и читатели расходятся в том, какой из них считается.
