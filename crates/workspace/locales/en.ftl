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
peer-halted-why = Its audit log does not extend what this node witnessed: it was rewritten or forked. Nothing is exchanged with it until an operator resumes. The node's account:
quarantine-intro = Pages a peer sent that did not check (their signature, seal or content): nothing of them entered a collection, and the next sync asks for them again. Each with the node's account of why.
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

## Why the core refused: STIX validity (stix::Problem)
stix-not-json = This is not JSON: { $detail }
stix-not-object = An object must be a JSON object.
stix-shape = Clients could not read this JSON: { $detail }
stix-repeated = The property { $property } occurs more than once.
stix-missing = The required property { $property } is missing.
stix-missing-of = The property { $property }, required of { $type }, is missing.
stix-no-id = The property id, required of { $type }, is missing or not a string.
stix-expected-string = The property { $property } must be a string.
stix-expected-boolean = The property { $property } must be true or false.
stix-expected-list = The property { $property } must be a list.
stix-expected-non-empty-list = The property { $property } must not be an empty list.
stix-expected-strings = The property { $property } must be a list of strings.
stix-expected-identifiers = The property { $property } must hold STIX identifiers.
stix-expected-identifier-list = The property { $property } must be a list of STIX identifiers.
stix-expected-object = The property { $property } must be an object.
stix-expected-percent = The property { $property } must be a whole number from 0 to 100.
stix-expected-base64 = The property { $property } must be base64 (STIX 2.1 §2.1).
stix-timestamp-syntax = The property { $property }: { $value } is not a STIX timestamp (YYYY-MM-DDTHH:MM:SS[.s+]Z).
stix-timestamp-millis = The property { $property }: { $value } is not precise to the millisecond (STIX 2.1 §3.2).
stix-timestamp-day = The property { $property }: { $value } names a day that does not exist.
stix-id-syntax = The property { $property }: { $value } is not an identifier of the form type--UUID.
stix-id-rfc4122 = The property { $property }: the UUID of { $value } is not RFC 4122 compliant.
stix-id-type = The property { $property }: { $value } does not start with the object's type { $type }.
stix-wrong-reference = The property { $property } must reference an object of type { $type }, not { $value }.
stix-pattern = The property pattern is not a STIX pattern: { $detail }
stix-not-type-name = The property type: { $value } is not a STIX type name.
stix-bundle = A bundle cannot be stored as an object (STIX 2.1 §8).
stix-spec-version = The property spec_version is { $value }; this node accepts STIX 2.1.
stix-marking-definition = A marking definition needs definition_type with definition, or extensions.
stix-modified-before-created = The property modified is earlier than created (STIX 2.1 §3.2).
stix-location = A location needs region, country, or latitude with longitude.
stix-any-of = { $type } needs at least one of: { $properties }.
stix-beyond-common = { $type } needs at least one property besides the common ones.
stix-extension-key = The extension key { $value } is neither an extension-definition id nor a predefined -ext name.
stix-extension-not-object = The extension { $value } must be an object.
stix-external-reference-not-object = Each external reference must be an object.
stix-external-reference-source = Each external reference needs a source_name string.
stix-granular-not-object = Each granular marking must be an object.
stix-granular-selectors = Each granular marking needs a non-empty list of selectors.
stix-granular-marking-or-lang = Each granular marking needs marking_ref or lang.
stix-language-code = The property languages: { $value } is not a language code (ISO 639-2, for example eng).
refused-conflict = Version { $version } is already stored with different content (STIX 2.1 §3.6).
refused-unnamed = object { $place } of the upload (no id that reads)

## Why the policy refused (policy::Reason)
denied-no-purpose = User { $user } has no purpose bound, and the request declares none. An operator binds one of the agreement's purposes ({ $purposes }) to the user.
denied-unknown-purpose = { $purpose } is not a purpose of the agreement (permitted: { $permitted }).
denied-purpose-not-bound = User { $user } is not bound to the purpose { $purpose } (bound: { $bound }). An operator can bind it.
denied-purposes-none = none
denied-no-right-read = User { $user } may not read this collection. An operator can grant it.
denied-no-right-write = User { $user } may not write to this collection. An operator can grant it.
denied-no-right-delete = User { $user } may not delete from this collection. An operator can grant it.
denied-not-an-authority = The agreement's records travel between the competent authorities only; { $user } is not one.
denied-no-audit-right = User { $user } may not read the audit log.
denied-no-agreement = This node operates under no agreement, so it transfers nothing to another authority.
denied-not-in-force = On { $day } the agreement is not in force: no transfer leaves this node.
denied-terminated = On { $day } the agreement is terminated: no transfer leaves this node.
denied-no-consent = { $object } was obtained from { $origin } and reaches a third party only with that authority's prior written consent. { $gap }
gap-other-purpose = Consent { $consent } is for the purpose { $purpose }, not { $wanted }.
gap-revoked = Consent { $consent } was revoked.
gap-expired = Consent { $consent } expired on { $day }.
gap-none-held = No consent of { $originator } is held for { $recipient }.
denied-notice = { $object } is under confidentiality notice { $notice } of { $originator }, which lets it reach { $reach }.
denied-marked = { $object } is marked for { $reach }.
denied-marked-consent = { $object } is marked for { $reach }; a consent lifts Art. 6.2, not the markings.
denied-classified = This marking definition classifies information (ACS classification { $level }). Classified information is exchanged under the separate agreement on its protection, never through this node.
denied-unreadable-marking = The marking definition is not JSON: { $detail }
denied-parts-beyond = { $object } has parts marked beyond this recipient, and it cannot be served without them: { $detail }
denied-seal-covers-whole = You receive this object redacted; the originator's seal covers it whole, so it cannot be checked here.

## Why a seal does not verify (provenance::SealFault)
seal-fault-no-key = This node knows no key of { $signer }.
seal-fault-bad-key = The key known for the signer is not usable: { $detail }
seal-fault-not-signed = The seal is not signed by { $signer }.
seal-fault-not-covered = The signature holds, but the proof does not show this object under the seal: { $detail }
seal-fault-redacted = You receive this object redacted; the originator's seal covers it whole, so it cannot be checked here.
seal-fault-unchecked = The seal could not be checked: { $detail }

## Where the store and the audit log disagree (coverage::CoverageProblem)
coverage-unaccounted = { $id } { $version } (added { $added }) is stored, but no audit entry accounts for it.
coverage-removed-but-stored = { $id } { $version } is stored, but entry { $entry } records its removal.
coverage-count = Entry { $entry } accounts for { $added } versions added between { $first } and { $last }; the store holds { $held } of them (with those removed since).
coverage-mismatch = Entry { $entry }: the versions stored between { $first } and { $last } are not the ones it accounts for.

## What damage the audit log's verification found (audit::Damage)
damage-no-first-key = The first key handover names no Ed25519 key.
damage-missing = Entry { $entry } is missing.
damage-replaced = Entry { $entry }: its stored bytes were replaced.
damage-changed = Entry { $entry }: its bytes or its leaf hash were changed.
damage-subtree = The stored hash of entries { $first } to { $last } was changed or removed.
damage-unreadable-handover = Entry { $entry }: the key handover does not read: { $detail }
damage-handover-breaks = Entry { $entry }: the key handover does not continue the log's keys.
damage-handover-absent = A key handover is recorded at entry { $entry }, which does not hold it.
damage-other-key = The log's heads end with the key { $ended }, not this node's key { $node }.
damage-head-beyond = A tree head claims { $claims } entries, but the log holds { $holds }.
damage-head-malformed = The tree head at size { $size } is malformed.
damage-head-root = The tree head at size { $size } does not match the entries (the root differs).
damage-head-signature = The tree head at size { $size } has an invalid signature.

## Why exchange with a peer halted (federation::witness::Breach)
breach-shrank = The peer's audit log shrank from { $was } to { $now } entries: it was rewritten.
breach-forked = The peer's audit log has another root at the size of { $size } entries already witnessed: it was forked.
breach-not-extension = The peer's audit log of { $now } entries does not extend the { $was } entries witnessed before: it was rewritten or forked.
breach-bad-head = The peer's signed tree head is not valid: { $why }
head-error-empty-carries = the head of an empty log carries a root or a signature.
head-error-incomplete = the head of a non-empty log lacks its timestamp, root or signature.
head-error-timestamp = its timestamp does not read: { $detail }
head-error-signature-unreadable = its signature is not 128 hexadecimal digits.
head-error-root-unreadable = its root is not a SHA-256 hash in hexadecimal.
head-error-not-signed = it is not signed by the peer's key.
head-error-proof-hash = the consistency proof holds a value that is not a SHA-256 hash in hexadecimal.

## Why a page from a peer is quarantined (federation::distrust::Distrust)
distrust-not-authentic = The answer does not carry the peer's valid signature: { $detail }
distrust-not-envelope = The page is not a TAXII envelope: { $detail }
distrust-not-sealed = The page carries no seal.
distrust-wrong-signer = The page is sealed by { $signer }, not by the peer { $peer }.
distrust-peer-key = The key held for { $peer } is not an Ed25519 key.
distrust-unhashable = An object of the page has no canonical form: { $detail }
distrust-last-mismatch = The position to resume from (X-TAXII-Date-Added-Last) is not the one the page was sealed with.
distrust-no-last = The seal of a page of objects names no position to resume from.
distrust-not-a-peer = The sending node is not a peer of this node.
seal-error-not-base64 = The seal header is not base64.
seal-error-not-a-seal = The seal header does not hold a seal: { $detail }
seal-error-unknown-kind = The seal is of a kind this node does not know: { $kind }
seal-error-signature-unreadable = The seal's signature is not 128 hexadecimal digits.
seal-error-not-signed-by = The seal is not signed by { $signer }.
seal-error-count = The seal covers { $sealed } objects; the page holds { $held }.
seal-error-not-the-objects = The page's objects are not the ones the seal was signed over.

## What is wrong with a signed record of the agreement (policy::ledger::LedgerError)
ledger-record = The { $kind } { $id }: { $fault }
ledger-no-id = A record ({ $kind }) has no id.
ledger-key-unusable = The key held for { $signer } is not an Ed25519 key.
ledger-canonical = The record has no canonical (RFC 8785) form: { $detail }
ledger-not-a-record = Kept text that does not read as a record: { $detail }
record-kind-consent-request = consent request
record-kind-consent = consent
record-kind-decline = declined request
record-kind-revocation = revocation
record-kind-notice = confidentiality notice
record-kind-ratification = ratification
record-kind-designation = designation
record-kind-amendment = amendment
record-kind-termination = termination notice
fault-other-agreement = it belongs to the agreement { $named }, not to this node's { $ours }.
fault-unknown-purpose = its purpose { $purpose } is not one of the agreement's (Art. 6.4; permitted: { $permitted }).
fault-same-authority = its originator and its holder are the same authority.
fault-empty = { $field } is empty.
fault-not-an-id = { $field } holds { $value }, which is not a STIX id.
fault-designated = only a designation names a designated authority, and a designation must.
fault-amended = only an amendment carries an amended agreement, and an amendment must.
fault-no-party = it does not name the party and the authority that recorded it.
fault-designated-key = the designated authority's key { $key } is not an Ed25519 key (64 hexadecimal digits).
fault-amendment-text = the amended agreement does not read: { $detail }
fault-amends-other = the amended agreement is { $id } version { $version }, not { $ours } version { $says }.
fault-version-not-raised = an amendment must raise the version above { $current }; it says { $says }.
fault-not-a-selector = { $value } among its properties is not a STIX selector (STIX 2.1 §7.2.3.1).
fault-unknown-signer = it is signed for { $signer }, whose key is neither this node's nor one the agreement file or a signed designation gives.
fault-other-key = it is signed with a key that is not { $signer }'s.
fault-signature-unreadable = its signature is not 128 hexadecimal digits.
fault-signature-mismatch = its signature does not match the record: it was changed after signing, or signed by someone else.
fault-not-the-granter = { $originator } did not grant the consent { $consent }, so cannot revoke it.

## What is wrong with what someone asked (symbolon_core::mistake::Mistake)
mistake-not-under-agreement = This node is not under an agreement yet; its operator puts it under one (symbolon agreement init).
mistake-own-authority = { $authority } is this node's own authority: its own information needs no consent.
mistake-not-third-party = { $recipient } is not a third party (it is { $kind }); consent is for third parties (Art. 6.2).
mistake-not-a-request = The record given is a { $kind }, not a consent request.
mistake-asked-other = The request asks { $asked } for consent; this node is { $me }.
mistake-longer-than-asked = The term you gave ({ $expires }) is later than the one the holder asked for ({ $asked }); a consent may shorten the term, never lengthen it.
mistake-already-granted = The request { $request } was granted as the consent { $consent }: revoke that consent instead.
mistake-already-declined = The request { $request } was already declined ({ $decline }).
mistake-not-one-of = The { $what } { $value } is not one of: { $allowed }.
mistake-field-status = status
mistake-field-determination = determination
mistake-field-outcome = outcome
mistake-field-impact-category = impact category
mistake-field-recoverability = recoverability
mistake-criticality = A criticality of { $value }: it goes from 0 to 100.
mistake-not-an-incident = { $id } is not an incident id (incident--…).
mistake-incident-unnamed = An incident needs a name.
mistake-task-unnamed = A task needs a name.
mistake-not-incident-owner = { $id } is owned by { $owner }: only its owner makes new versions of an incident (STIX 2.1 §3.6); add a task or a note instead.
mistake-no-incident-extension = { $id } carries no Incident Core extension.
mistake-not-a-task = { $id } is not a task id (task--…).
mistake-not-task-author = { $id } is { $owner }'s: only its author makes new versions of a task (STIX 2.1 §3.6).
mistake-impact-detail = The impact detail { $name } is not a property name in lower case with underscores (e.g. availability_impact=80).
mistake-availability-impact = An availability impact needs availability_impact=N, from 0 to 100.
mistake-note-empty = A note needs content.
mistake-decline-unexplained = A refusal to contribute gives its reason.
mistake-relationship-type = The relationship type { $kind } is not lower-case words joined by hyphens (e.g. related-to, detected, impacts).
mistake-rsit-unreadable = The RSIT category { $text } does not read: write class/type, e.g. malicious-code/infected-system.
mistake-rsit-content = The RSIT category { $category } classifies content, not a computer incident: this node carries information about computer incidents and attacks on information infrastructure only.
mistake-rsit-class = There is no RSIT class { $class } (classes: { $classes }).
mistake-rsit-type = The RSIT class { $class } has no type { $kind } (types: { $kinds }).
mistake-marking = The marking { $name } is not one this node knows: give clear, green, amber, amber+strict, red or a marking-definition id.
mistake-seen-at = The time of the sighting { $text } does not read: { $detail }
mistake-sighting-count = A sighting counts at most { $most } times (STIX 2.1 §5.2).
mistake-origin-without-agreement = Information obtained from another authority is imported only on a node under an agreement.
mistake-own-origin = { $authority } is this node's own authority: import its information as this node's own.
mistake-unknown-authority = { $authority } is not a competent authority known to this node (the agreement file and designations name: { $known }).

## A file to import that is not a bundle or an envelope (symbolon_core::import::SourceError)
source-unreadable = The file { $file } could not be read: { $detail }
source-not-a-document = The file { $file } is not a STIX bundle or TAXII envelope: { $why }
document-json = it is not valid JSON ({ $detail }).
document-not-a-container = it is not a JSON object with a list of objects (`objects`).
document-bundle-id = the bundle's id { $id } is not a bundle identifier.
document-objects-not-a-list = its `objects` is not a list.
document-repeated = the member { $member } occurs more than once, and readers disagree on which one counts.
