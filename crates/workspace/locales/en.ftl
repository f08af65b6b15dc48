# Symbolon workspace — English.
skip-to-content = Skip to content
nav-label = Main
nav-collections = Collections
nav-search = Search
language-label = Language
search-label = Search
search-placeholder = ID, name, IP, domain, URL, hash, e-mail
search-button = Search
signed-in-as = Signed in as
sign-out = Sign out
back-home = Back to the collections
none = None.

login-title = Sign in
login-username = Username
login-password = Password
login-submit = Sign in
login-expired = The sign-in form expired. Please sign in again.
login-plain-http = This node takes passwords over plain HTTP only from its own host. Reach it over HTTPS, or ask its operator.
login-wrong = Unknown user or wrong password.
login-slowed = { $count ->
    [one] Too many attempts for this user: try again in { $shown } second.
   *[other] Too many attempts for this user: try again in { $shown } seconds.
}

error-title = Something is in the way
error-not-found = Nothing here: it does not exist, or it is not yours to see.
error-refused = The agreement's policy refuses this request.
error-invalid = This request cannot be answered as written.
form-date = { $field }: { $value } is not a date. Write it as YYYY-MM-DD, or as a Solar Hijri date YYYY/MM/DD.
form-whole-number = { $field }: { $value } is not a whole number.
form-percent = { $field }: { $value } is not a whole number from 0 to 100.
form-choice = { $field }: { $value } is not one of the choices offered.
form-not-stix-id = { $value } is not a STIX identifier (type--UUID).
form-notice-no-objects = A notice must name at least one object.
form-not-signed-record = The text given is not a signed consent request.
form-upload = The uploaded form could not be read whole; try the upload again.
error-failed = The node could not answer. The operator can find the cause in its log.
error-csrf = This form expired or did not come from this workspace. Please try again.

collections-title = Collections
collections-none = You may read or write no collection on this node.
col-title = Title
col-objects = Objects you may see
col-rights = Your rights
col-id = ID
col-name = Name
col-type = Type
col-markings = Markings
col-origin = Origin
col-version = Version
col-added = Added
col-changes = Changed properties
col-match = Match
col-sightings = Sightings
col-collection = Collection
objects-count = { $count ->
    [one] { $shown } object
   *[other] { $shown } objects
}
objects-count-more = more than { $shown } objects
count-refused = not for your purpose
rights-read-write = read and write
rights-read = read
rights-write = write only

filter-type = Type
filter-marking = Marking
filter-origin = Origin
filter-origin-hint = authority, or "own"
filter-added-after = Added after
filter-text = Text in name or description
filter-apply = Apply
filter-bad-date = “{ $value }” is not a date (YYYY-MM-DD); the filter was left out.
filter-looked-through = Looked through { $shown } objects; the rest follows on the next page.
objects-none = No object you may see matches.
objects-on-page = { $count ->
    [one] { $shown } object on this page
   *[other] { $shown } objects on this page
}
origin-own = this authority
pager-label = Pages
pager-first = First page
pager-next = Next page

reach-local = this authority only
reach-parties = the parties' competent authorities
reach-anyone = anyone (a third party too, subject to Art. 6.2)
reach-overall = Under the agreement this object may reach: { $reach }. The most restrictive marking decides.
consent-note = Obtained from { $origin }: it reaches no third party without { $origin }'s prior written consent (Art. 6.2).

fact-id = ID
fact-type = Type
fact-description = Description
fact-origin = Origin
fact-version = Version
markings-title = Markings
markings-none = No markings.
sightings-title = Sightings
sighted-times = { $count ->
    [one] Sighted once:
   *[other] Sighted { $shown } times:
}
false-positives = { $count ->
    [one] · one false-positive report
   *[other] · { $shown } false-positive reports
}
versions-title = Versions you may see
changes-first = first version shown
refs-out-title = Objects it names
refs-in-title = Objects that name it
refs-in-more = More objects name it than are listed here.
json-title = As served to you (STIX 2.1)

search-title = Search
search-help = A STIX ID finds that object; an IP address or range, domain, URL, hash or e-mail address is looked up in the correlation index; any other text is searched for in names and descriptions.
search-values = Objects holding this value
search-warninglists = On warning lists (likely a false positive):
search-no-value-hits = No object you may see holds this value.
search-over-correlated = More objects hold this value than are listed (over-correlated).
search-objects = Names and descriptions
search-no-hits = No object you may see matches.
search-looked = { $count ->
    [one] Looked through { $shown } object.
   *[other] Looked through { $shown } objects.
}

nav-incidents = Incidents
incidents-title = Incidents
incidents-none = No incident you may see.
incident-status = Status
incident-determination = Determination
incident-category = Category (RSIT)
incident-owner = Owner
incident-criticality = Criticality (0–100)
incident-open-title = Open an incident
incident-open = Open
incident-timeline = Timeline (both parties)
incident-when = When
incident-kind = Entry
incident-author = Author
incident-what = What
incident-seal = Seal
seal-own = made here
seal-verified = verifies, signed by
seal-failed = does not verify:
seal-none = no seal
incident-act = Take part
incident-update = Change the state (owner only)
incident-task = Task
incident-outcome = Outcome
incident-add-task = Add the task
incident-note = Note
incident-declined = a refusal to contribute, with its reason
incident-add-note = Add the note
incident-link-object = Object to link (STIX ID)
incident-link-kind = Relationship
incident-link = Link

nav-agreement = Agreement
nav-peers = Peers
nav-audit = Audit
agreement-title = The agreement
agreement-none = This node is not under an agreement yet (symbolon agreement init).
agreement-name = Agreement
agreement-version = Policy version
agreement-node = This node
agreement-state = State today
agreement-signed = Signed
agreement-entry-into-force = Entry into force
agreement-awaiting = not yet: awaiting the parties' notifications
agreement-termination = Termination takes effect
agreement-not-in-force = not in force
agreement-in-force = in force
agreement-ending = in force; termination takes effect on { $date }
agreement-terminated = terminated since { $date }; information protection and agreed joint activities continue (Art. 9.4)
agreement-parties = Parties and competent authorities
agreement-party = Party
agreement-authorities = Competent authorities
agreement-deadline = Designation deadline (working days)
agreement-designated = Designated
agreement-late = after the deadline
agreement-refused = Notifications held that do not count
peers-title = Peers
peers-none = No peer node is known to this node.
peer-id = Peer
peer-state = State
peer-witnessed = Its audit log, as witnessed here
peer-exchanges = Exchanges
peer-pull = pull from
peer-push = push to
peer-not-yet = not yet
peer-exchanging = exchanging
peer-confirm = I have looked into the breach and resume exchange
peer-resume = Resume
peer-confirm-needed = Resuming exchange with a halted peer needs your confirmation: tick the box.
quarantine-title = Quarantine
quarantine-why = Why
quarantine-bytes = Bytes
calendar-summary = { $party }: the deadline's month in its working calendar
calendar-week-starts = weeks start on
calendar-rest = Weekly rest day (not a working day)
calendar-holiday = Public holiday (not a working day)
calendar-legend = Shaded days are not counted: weekly rest days and public holidays of the party. The outlined day is the deadline.
audit-title = Audit log
audit-head = Signed tree head
audit-head-size = Tree size (entries)
audit-head-signed = Signed
audit-head-root = Root hash
audit-head-signature = Signature
audit-head-none = No tree head has been signed yet: the log is empty.
audit-head-json = The tree head as the log gives it (JSON)
audit-verify = Verify the log against the store
audit-intact = Intact: the log verifies and accounts for exactly what is stored.
audit-damaged = NOT intact: see below.
audit-stored = Stored versions
audit-accounted = Versions the log accounts for
audit-problems = Problems
audit-deleted = Collections deleted
audit-deleted-by = Deleted by
audit-deleted-versions = Versions deleted
audit-deleted-covered = Covered: the deletion removed exactly what the log accounted for.
audit-deleted-uncovered = NOT covered: the deletion and the log disagree.
audit-entries = Latest entries
audit-entry = Entry { $n }
audit-proof-help = The entry as logged, with its inclusion proof in the tree of the latest signed head (RFC 9162).

nav-consents = Consents and notices
consents-title = Consents (Art. 6.2) and notices (Art. 6.3)
consents-waiting = Requests waiting for this authority's signature
consent-holder = Holder
consent-recipient = Third party
consent-purpose = Purpose
consent-expires = Until
consent-answer = Answer
consent-shorter = A shorter term (optional)
consent-grant = Grant
consent-request = Request
consents-declined = Requests declined
consent-decline-reason = Reason (optional)
consent-decline = Decline
consent-from-file = A request received as a file
consent-request-json = The signed request (JSON)
consents-held = Consents held
consent-originator = Originator
consent-confirm = I revoke this consent
consent-revoke = Revoke
consent-confirm-needed = Revoking a consent needs your confirmation: tick the box.
notices-title = Confidentiality notices
notice-objects = Objects (STIX IDs)
notice-properties = Properties (empty: the whole object)
notice-reach = May still reach
notice-reach-holder = the holding authority's own users only
notice-reach-parties = the parties' competent authorities, never a third party
notice-reason = Reason
notice-issue = Issue a notice

nav-transfer = Import and export
transfer-title = Import and export
import-title = Import a bundle
import-origin = Obtained from
import-file = STIX bundle or TAXII envelope (JSON)
import-submit = Import
import-added = Added:
import-unchanged = already held:
import-rejected = rejected:
import-rule = Rule
export-title = Export for a recipient
export-for = Recipient
export-preview = Preview
export-preview-of = What an export would give
export-served = Served
export-redacted = Served redacted
export-withheld = Withheld under
export-submit = Export (recorded as a transfer)

sighted-by = { $by }: { $count } (last { $last })
sighting-count = Times seen
sighting-seen = Last seen on
sighting-note = Where, how
sighting-false-positive = a false positive (not a sighting)
sighting-record = Record (travels to its originator)

vocab-new = new
vocab-open = open
vocab-closed = closed
vocab-blocked = blocked
vocab-confirmed = confirmed
vocab-failed-attempt = failed attempt
vocab-false-positive = false positive
vocab-low-value = low value
vocab-successful-attempt = successful attempt
vocab-suspected = suspected
vocab-cancelled = cancelled
vocab-failed = failed
vocab-ongoing = ongoing
vocab-pending = pending
vocab-successful = successful
vocab-unknown = unknown
vocab-valid = valid
vocab-expired = expired
vocab-revoked = revoked

# Incident timeline entries, in parts.
timeline-opened = opened
timeline-details-updated = details updated
timeline-impact-of = impact on { $category }
timeline-linked = linked as
timeline-last = last
timeline-sighted = { $count ->
    [one] seen once
   *[other] seen { $shown } times
}

# Timeline entry kinds, opinions and impact categories (Incident Core extension).
vocab-incident = incident
vocab-task = task
vocab-impact = impact
vocab-note = note
vocab-declined = refusal to contribute
vocab-opinion = opinion
vocab-link = link
vocab-sighting = sighting
vocab-strongly-disagree = strongly disagrees
vocab-disagree = disagrees
vocab-neutral = neutral
vocab-agree = agrees
vocab-strongly-agree = strongly agrees
vocab-availability = availability
vocab-confidentiality = confidentiality
vocab-external = external
vocab-integrity = integrity
vocab-monetary = monetary
vocab-physical = physical
vocab-traceability = traceability

# RSIT (the Reference Security Incident Taxonomy): classes, then class--type.
rsit-abusive-content = Abusive Content
rsit-malicious-code = Malicious Code
rsit-information-gathering = Information Gathering
rsit-intrusion-attempts = Intrusion Attempts
rsit-intrusions = Intrusions
rsit-availability = Availability
rsit-information-content-security = Information Content Security
rsit-fraud = Fraud
rsit-vulnerable = Vulnerable
rsit-other = Other
rsit-test = Test
rsit-abusive-content--spam = Spam
rsit-malicious-code--infected-system = Infected System
rsit-malicious-code--c2-server = C2 Server
rsit-malicious-code--malware-distribution = Malware Distribution
rsit-malicious-code--malware-configuration = Malware Configuration
rsit-information-gathering--scanner = Scanning
rsit-information-gathering--sniffing = Sniffing
rsit-information-gathering--social-engineering = Social Engineering
rsit-intrusion-attempts--ids-alert = Exploitation of Known Vulnerabilities
rsit-intrusion-attempts--brute-force = Login Attempts
rsit-intrusion-attempts--exploit = New Attack Signature
rsit-intrusions--privileged-account-compromise = Privileged Account Compromise
rsit-intrusions--unprivileged-account-compromise = Unprivileged Account Compromise
rsit-intrusions--application-compromise = Application Compromise
rsit-intrusions--system-compromise = System Compromise
rsit-intrusions--burglary = Burglary
rsit-availability--dos = Denial of Service
rsit-availability--ddos = Distributed Denial of Service
rsit-availability--misconfiguration = Misconfiguration
rsit-availability--sabotage = Sabotage
rsit-availability--outage = Outage
rsit-information-content-security--unauthorised-information-access = Unauthorised Access to Information
rsit-information-content-security--unauthorised-information-modification = Unauthorised Modification of Information
rsit-information-content-security--data-loss = Data Loss
rsit-information-content-security--data-leak = Leak of Confidential Information
rsit-fraud--unauthorised-use-of-resources = Unauthorised Use of Resources
rsit-fraud--copyright = Copyright
rsit-fraud--masquerade = Masquerade
rsit-fraud--phishing = Phishing
rsit-vulnerable--weak-crypto = Weak Cryptography
rsit-vulnerable--ddos-amplifier = DDoS Amplifier
rsit-vulnerable--potentially-unwanted-accessible = Potentially Unwanted Accessible Services
rsit-vulnerable--information-disclosure = Information disclosure
rsit-vulnerable--vulnerable-system = Vulnerable System
rsit-other--other = Uncategorised
rsit-other--undetermined = Undetermined
rsit-test--test = Test

# Why something was refused, as the core cites it (Tr::cause).
cause-article = Art. { $article }
cause-article-clause = Art. { $article }.{ $clause }
cause-rights = collection rights
cause-invalid = not a valid STIX object
cause-conflict = differs from the stored version
peer-halted = HALTED

# Date inputs (Persian pages take Solar Hijri dates).
date-placeholder = YYYY-MM-DD
date-hint = A date: YYYY-MM-DD

# The audit page's key history (key rotations).
audit-keys = Node keys
audit-key-current = Key in use (it signs new tree heads)
audit-key-handover = Handover (key rotation)
audit-key-retired = Key retired (signed the heads before)
audit-key-to = Handed over to
