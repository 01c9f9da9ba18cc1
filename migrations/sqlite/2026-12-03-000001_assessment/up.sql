-- 量化考核 (issue 17): schemes with their indicator tree (一级 → 二级 → 三级), a cycle's results per
-- assessed object and the entries that make each result up. Points are stored in tenths
-- (200 = 20.0 points), so sums are exact on both backends. A scheme is data: the default
-- "网格化管理月度考核" is inserted below and kept editable; `scope_path` '/' serves every street.
CREATE TABLE assess_schemes (
    id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    name TEXT NOT NULL,
    basis TEXT NOT NULL,
    objects TEXT NOT NULL,
    cycle TEXT NOT NULL,
    bands TEXT NOT NULL,
    scope_path TEXT NOT NULL,
    version INTEGER NOT NULL DEFAULT 1,
    status TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL
);

-- `method` with its `params` (key=value;…) scores `source` (a figure computed from the records,
-- or `manual` for entries made by hand); `floor_points` and `cap_points` bound the indicator's score.
CREATE TABLE assess_indicators (
    id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    scheme_id INTEGER NOT NULL REFERENCES assess_schemes(id),
    parent_id INTEGER REFERENCES assess_indicators(id),
    depth INTEGER NOT NULL,
    code TEXT NOT NULL,
    name TEXT NOT NULL,
    full_marks INTEGER NOT NULL,
    method TEXT NOT NULL,
    params TEXT NOT NULL,
    source TEXT NOT NULL,
    floor_points INTEGER NOT NULL,
    cap_points INTEGER,
    sort_order INTEGER NOT NULL
);
CREATE INDEX assess_indicators_scheme ON assess_indicators(scheme_id, sort_order);

-- One assessed object's line of a cycle: `scope_path` is the object's own path (data scope),
-- `group_path` the unit it is ranked within (the street), `group_rank` its place there. A published
-- result is frozen: never recomputed, its entries never added to.
CREATE TABLE assess_results (
    id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    scheme_id INTEGER NOT NULL REFERENCES assess_schemes(id),
    period TEXT NOT NULL,
    object_kind TEXT NOT NULL,
    object_id INTEGER NOT NULL,
    object_name TEXT NOT NULL,
    scope_path TEXT NOT NULL,
    group_path TEXT NOT NULL,
    ranking_group TEXT NOT NULL,
    total INTEGER NOT NULL,
    grade TEXT NOT NULL,
    group_rank INTEGER NOT NULL,
    state TEXT NOT NULL,
    version INTEGER NOT NULL DEFAULT 1,
    computed_at TIMESTAMP NOT NULL,
    published_at TIMESTAMP,
    published_by INTEGER REFERENCES users(id)
);
CREATE UNIQUE INDEX assess_results_object ON assess_results(scheme_id, period, object_kind, object_id);
CREATE INDEX assess_results_group ON assess_results(group_path, period, scheme_id);

-- The points of a result, each with the formula printed beside it and the link to the records
-- behind it. Manual entries carry a reason, evidence and who; a correction is a reversing entry
-- (`reverses`), the original marked `reversed_by`: entries are never deleted once published.
CREATE TABLE assess_entries (
    id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    result_id INTEGER NOT NULL REFERENCES assess_results(id),
    indicator_id INTEGER NOT NULL REFERENCES assess_indicators(id),
    points INTEGER NOT NULL,
    figure TEXT NOT NULL,
    formula TEXT NOT NULL,
    source_url TEXT NOT NULL,
    manual BOOLEAN NOT NULL,
    reason TEXT NOT NULL,
    evidence TEXT NOT NULL,
    entered_by INTEGER REFERENCES users(id),
    created_at TIMESTAMP NOT NULL,
    reverses INTEGER REFERENCES assess_entries(id),
    reversed_by INTEGER REFERENCES assess_entries(id)
);
CREATE INDEX assess_entries_result ON assess_entries(result_id, id);

INSERT INTO assess_schemes (name, basis, objects, cycle, bands, scope_path, version, status, created_at)
VALUES ('网格化管理月度考核', '中原区网格化管理考核办法（试行）', 'grid', 'month',
        '90:excellent;80:good;60:pass;0:fail', '/', 1, 'active', CURRENT_TIMESTAMP);

-- About two thirds of the points from the records, one third from inspection and manual items.
INSERT INTO assess_indicators (scheme_id, parent_id, depth, code, name, full_marks, method, params, source, floor_points, cap_points, sort_order)
SELECT id, NULL, 1, 'A', '工作履职', 660, 'sum', '', '', 0, NULL, 1 FROM assess_schemes WHERE name = '网格化管理月度考核';
INSERT INTO assess_indicators (scheme_id, parent_id, depth, code, name, full_marks, method, params, source, floor_points, cap_points, sort_order)
SELECT id, NULL, 1, 'B', '督查考评', 340, 'sum', '', '', 0, NULL, 6 FROM assess_schemes WHERE name = '网格化管理月度考核';
INSERT INTO assess_indicators (scheme_id, parent_id, depth, code, name, full_marks, method, params, source, floor_points, cap_points, sort_order)
SELECT s.id, i.id, 2, 'A1', '事件处置', 450, 'sum', '', '', 0, NULL, 2 FROM assess_schemes s JOIN assess_indicators i ON i.scheme_id = s.id AND i.code = 'A' WHERE s.name = '网格化管理月度考核';
INSERT INTO assess_indicators (scheme_id, parent_id, depth, code, name, full_marks, method, params, source, floor_points, cap_points, sort_order)
SELECT s.id, i.id, 2, 'A2', '日常巡查', 210, 'sum', '', '', 0, NULL, 4 FROM assess_schemes s JOIN assess_indicators i ON i.scheme_id = s.id AND i.code = 'A' WHERE s.name = '网格化管理月度考核';
INSERT INTO assess_indicators (scheme_id, parent_id, depth, code, name, full_marks, method, params, source, floor_points, cap_points, sort_order)
SELECT s.id, i.id, 2, 'B1', '督查检查', 340, 'sum', '', '', 0, NULL, 7 FROM assess_schemes s JOIN assess_indicators i ON i.scheme_id = s.id AND i.code = 'B' WHERE s.name = '网格化管理月度考核';
INSERT INTO assess_indicators (scheme_id, parent_id, depth, code, name, full_marks, method, params, source, floor_points, cap_points, sort_order)
SELECT s.id, i.id, 3, 'A1.1', '办结率', 200, 'rate', '', 'issues.closure', 0, NULL, 3 FROM assess_schemes s JOIN assess_indicators i ON i.scheme_id = s.id AND i.code = 'A1' WHERE s.name = '网格化管理月度考核';
INSERT INTO assess_indicators (scheme_id, parent_id, depth, code, name, full_marks, method, params, source, floor_points, cap_points, sort_order)
SELECT s.id, i.id, 3, 'A1.2', '按期办结率', 150, 'threshold', 'full_at=70;per_point=1', 'issues.on_time', 0, NULL, 3 FROM assess_schemes s JOIN assess_indicators i ON i.scheme_id = s.id AND i.code = 'A1' WHERE s.name = '网格化管理月度考核';
INSERT INTO assess_indicators (scheme_id, parent_id, depth, code, name, full_marks, method, params, source, floor_points, cap_points, sort_order)
SELECT s.id, i.id, 3, 'A1.3', '超期未办结', 100, 'per_occurrence', 'each=2', 'issues.overdue', 0, NULL, 3 FROM assess_schemes s JOIN assess_indicators i ON i.scheme_id = s.id AND i.code = 'A1' WHERE s.name = '网格化管理月度考核';
INSERT INTO assess_indicators (scheme_id, parent_id, depth, code, name, full_marks, method, params, source, floor_points, cap_points, sort_order)
SELECT s.id, i.id, 3, 'A2.1', '巡查履职率', 210, 'tiers', 'bands=95:21,90:18,80:14,60:8', 'patrols.days', 0, NULL, 5 FROM assess_schemes s JOIN assess_indicators i ON i.scheme_id = s.id AND i.code = 'A2' WHERE s.name = '网格化管理月度考核';
INSERT INTO assess_indicators (scheme_id, parent_id, depth, code, name, full_marks, method, params, source, floor_points, cap_points, sort_order)
SELECT s.id, i.id, 3, 'B1.1', '督查扣分', 300, 'manual', '', 'manual', 0, 300, 8 FROM assess_schemes s JOIN assess_indicators i ON i.scheme_id = s.id AND i.code = 'B1' WHERE s.name = '网格化管理月度考核';
INSERT INTO assess_indicators (scheme_id, parent_id, depth, code, name, full_marks, method, params, source, floor_points, cap_points, sort_order)
SELECT s.id, i.id, 3, 'B1.2', '工作加分', 40, 'bonus', '', 'manual', 0, 40, 9 FROM assess_schemes s JOIN assess_indicators i ON i.scheme_id = s.id AND i.code = 'B1' WHERE s.name = '网格化管理月度考核';
