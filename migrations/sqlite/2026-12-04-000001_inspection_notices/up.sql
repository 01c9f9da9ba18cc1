-- 整改通知书: the open findings of one responsible unit of a round, issued as a numbered notice
-- (〔2026〕督字第N号, numbered per issuing office per year without gaps) with a deadline in
-- working days; signed for (签收) by the unit, which answers each finding; an extension is asked
-- for before the deadline and decided by the issuing office (ext_state '', asked, approved,
-- refused).
CREATE TABLE inspection_notices (
    id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    round_id INTEGER NOT NULL REFERENCES inspection_rounds(id),
    issuer_path TEXT NOT NULL,
    unit_id INTEGER NOT NULL REFERENCES org_units(id),
    unit_path TEXT NOT NULL,
    unit_name TEXT NOT NULL,
    year INTEGER NOT NULL,
    number INTEGER NOT NULL,
    issued_on DATE NOT NULL,
    working_days INTEGER NOT NULL,
    first_deadline DATE NOT NULL,
    deadline DATE NOT NULL,
    requirements TEXT NOT NULL,
    issued_by INTEGER NOT NULL REFERENCES users(id),
    signed_name TEXT NOT NULL DEFAULT '',
    signed_by INTEGER REFERENCES users(id),
    signed_at TIMESTAMP,
    ext_state TEXT NOT NULL DEFAULT '',
    ext_days INTEGER NOT NULL DEFAULT 0,
    ext_reason TEXT NOT NULL DEFAULT '',
    ext_asked_by INTEGER REFERENCES users(id),
    ext_decided_by INTEGER REFERENCES users(id),
    version INTEGER NOT NULL DEFAULT 1,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    UNIQUE (issuer_path, year, number)
);
CREATE INDEX inspection_notices_unit ON inspection_notices(unit_path, deadline);
CREATE TABLE inspection_notice_findings (
    id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    notice_id INTEGER NOT NULL REFERENCES inspection_notices(id),
    finding_id INTEGER NOT NULL REFERENCES inspection_findings(id),
    position INTEGER NOT NULL
);
CREATE INDEX inspection_notice_findings_notice ON inspection_notice_findings(notice_id, position);
CREATE INDEX inspection_notice_findings_finding ON inspection_notice_findings(finding_id);
-- The unit's answer to one finding of a notice (what was done); the latest counts.
CREATE TABLE inspection_answers (
    id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    notice_id INTEGER NOT NULL REFERENCES inspection_notices(id),
    finding_id INTEGER NOT NULL REFERENCES inspection_findings(id),
    body TEXT NOT NULL,
    answered_by INTEGER NOT NULL REFERENCES users(id),
    answered_name TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX inspection_answers_notice ON inspection_answers(notice_id, finding_id);
-- 复查: a re-inspection of one finding (pass | partial | fail | unable); only pass closes it.
CREATE TABLE inspection_reinspections (
    id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    finding_id INTEGER NOT NULL REFERENCES inspection_findings(id),
    notice_id INTEGER REFERENCES inspection_notices(id),
    result TEXT NOT NULL,
    note TEXT NOT NULL,
    inspector_id INTEGER NOT NULL REFERENCES users(id),
    inspector_name TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX inspection_reinspections_finding ON inspection_reinspections(finding_id, id);
-- What a finding led to elsewhere: kind 'issue' (移交立案, target an issue) or 'deduction'
-- (target an assessment entry).
CREATE TABLE inspection_finding_links (
    id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    finding_id INTEGER NOT NULL REFERENCES inspection_findings(id),
    kind TEXT NOT NULL,
    target_id INTEGER NOT NULL,
    created_by INTEGER NOT NULL REFERENCES users(id),
    created_at TIMESTAMP NOT NULL,
    UNIQUE (finding_id, kind)
);
CREATE INDEX inspection_finding_links_target ON inspection_finding_links(kind, target_id);
