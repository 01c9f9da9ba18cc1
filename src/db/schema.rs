//! The tables, written by hand: one schema serves SQLite and PostgreSQL (see ARCHITECTURE.md,
//! "Portability rules"). Keep in step with both migration folders.

diesel::table! {
    org_units (id) {
        id -> Integer,
        parent_id -> Nullable<Integer>,
        kind -> Text,
        name -> Text,
        code -> Text,
        path -> Text,
        depth -> Integer,
        sort_order -> Integer,
        address -> Text,
        phone -> Text,
        duty_hours -> Text,
        service_items -> Text,
        boundary -> Text,
        verified_on -> Nullable<Date>,
        version -> Integer,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        staff_count -> Integer,
        site_count -> Integer,
    }
}

diesel::table! {
    users (id) {
        id -> Integer,
        username -> Text,
        display_name -> Text,
        password_hash -> Text,
        role -> Text,
        org_unit_id -> Integer,
        phone -> Text,
        active -> Bool,
        must_change_password -> Bool,
        failed_logins -> Integer,
        locked_until -> Nullable<Timestamp>,
        last_login_at -> Nullable<Timestamp>,
        version -> Integer,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    sessions (id) {
        id -> Text,
        user_id -> Integer,
        created_at -> Timestamp,
        last_seen_at -> Timestamp,
        ip -> Text,
    }
}

diesel::table! {
    login_log (id) {
        id -> Integer,
        username -> Text,
        user_id -> Nullable<Integer>,
        success -> Bool,
        reason -> Text,
        ip -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    audit_log (id) {
        id -> Integer,
        actor_id -> Nullable<Integer>,
        actor_name -> Text,
        ip -> Text,
        action -> Text,
        entity -> Text,
        entity_id -> Nullable<Integer>,
        summary -> Text,
        before_json -> Nullable<Text>,
        after_json -> Nullable<Text>,
        scope_path -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    grid_people (id) {
        id -> Integer,
        grid_id -> Integer,
        user_id -> Nullable<Integer>,
        name -> Text,
        duty -> Text,
        unit_name -> Text,
        phone -> Text,
        photo -> Nullable<Text>,
        service_items -> Text,
        duty_hours -> Text,
        sort_order -> Integer,
        version -> Integer,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    key_sites (id) {
        id -> Integer,
        grid_id -> Integer,
        name -> Text,
        kind -> Text,
        address -> Text,
        patrol_days -> Integer,
        notes -> Text,
        active -> Bool,
        version -> Integer,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    form_submissions (token) {
        token -> Text,
        user_id -> Integer,
        redirect_to -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    work_calendar (day) {
        day -> Date,
        kind -> Text,
        festival -> Text,
    }
}

diesel::table! {
    issue_categories (id) {
        id -> Integer,
        parent_id -> Nullable<Integer>,
        name -> Text,
        limit_value -> Integer,
        limit_unit -> Text,
        sort_order -> Integer,
        active -> Bool,
        version -> Integer,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    issues (id) {
        id -> Integer,
        number -> Text,
        grid_id -> Integer,
        scope_path -> Text,
        owner_unit_id -> Integer,
        category_id -> Integer,
        source -> Text,
        urgency -> Text,
        title -> Text,
        description -> Text,
        address -> Text,
        people -> Text,
        state -> Text,
        reporter_id -> Integer,
        dispatcher_id -> Nullable<Integer>,
        handler_user_id -> Nullable<Integer>,
        handler_unit_id -> Nullable<Integer>,
        handler_party -> Text,
        handled_by -> Nullable<Integer>,
        pending -> Text,
        pending_days -> Integer,
        pending_by -> Nullable<Integer>,
        reported_at -> Timestamp,
        registered_at -> Nullable<Timestamp>,
        dispatched_at -> Nullable<Timestamp>,
        handled_at -> Nullable<Timestamp>,
        closed_at -> Nullable<Timestamp>,
        deadline -> Nullable<Timestamp>,
        extension_days -> Integer,
        rework_count -> Integer,
        version -> Integer,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    issue_events (id) {
        id -> Integer,
        issue_id -> Integer,
        actor_id -> Nullable<Integer>,
        action -> Text,
        from_state -> Text,
        to_state -> Text,
        note -> Text,
        detail -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    issue_urges (id) {
        id -> Integer,
        issue_id -> Integer,
        urged_by -> Integer,
        note -> Text,
        new_deadline -> Nullable<Timestamp>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    issue_photos (id) {
        id -> Integer,
        issue_id -> Integer,
        event_id -> Nullable<Integer>,
        stage -> Text,
        file_key -> Text,
        thumb_key -> Text,
        uploaded_by -> Nullable<Integer>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    issue_counters (prefix, year) {
        prefix -> Text,
        year -> Integer,
        last_value -> Integer,
    }
}

diesel::table! {
    issue_stats (unit_id, month, category_id) {
        unit_id -> Integer,
        month -> Text,
        category_id -> Integer,
        reported -> Integer,
        registered -> Integer,
        rejected -> Integer,
        cancelled -> Integer,
        closed -> Integer,
        closed_on_time -> Integer,
        reworked -> Integer,
        open_due -> Integer,
        handle_minutes -> BigInt,
    }
}

diesel::table! {
    issue_frozen (unit_id, month) {
        unit_id -> Integer,
        month -> Text,
        figures -> Text,
        frozen_by -> Nullable<Integer>,
        frozen_at -> Timestamp,
    }
}

diesel::table! {
    issue_drafts (token) {
        token -> Text,
        user_id -> Nullable<Integer>,
        data -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    patrols (id) {
        id -> Integer,
        grid_id -> Integer,
        scope_path -> Text,
        worker_id -> Integer,
        day -> Date,
        started_at -> Text,
        ended_at -> Text,
        route -> Text,
        notes -> Text,
        quick -> Bool,
        sites_checked -> Integer,
        site_problems -> Integer,
        visits -> Integer,
        problems -> Integer,
        corrections -> Integer,
        version -> Integer,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    patrol_sites (id) {
        id -> Integer,
        patrol_id -> Integer,
        site_id -> Integer,
        day -> Date,
        finding -> Text,
        note -> Text,
    }
}

diesel::table! {
    patrol_visits (id) {
        id -> Integer,
        patrol_id -> Integer,
        grid_id -> Integer,
        day -> Date,
        household -> Text,
        address -> Text,
        householder -> Text,
        phone -> Text,
        learned -> Text,
        needs -> Text,
    }
}

diesel::table! {
    patrol_issues (patrol_id, issue_id) {
        patrol_id -> Integer,
        issue_id -> Integer,
    }
}

diesel::table! {
    patrol_corrections (id) {
        id -> Integer,
        patrol_id -> Integer,
        actor_id -> Nullable<Integer>,
        reason -> Text,
        changes -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    meetings (id) {
        id -> Integer,
        unit_id -> Integer,
        scope_path -> Text,
        kind -> Text,
        state -> Text,
        day -> Date,
        start_time -> Text,
        end_time -> Text,
        place -> Text,
        chair -> Text,
        recorder -> Text,
        minutes -> Text,
        since -> Timestamp,
        expected -> Integer,
        present -> Integer,
        items -> Integer,
        decided -> Integer,
        corrections -> Integer,
        created_by -> Nullable<Integer>,
        finalized_by -> Nullable<Integer>,
        held_at -> Nullable<Timestamp>,
        finalized_at -> Nullable<Timestamp>,
        version -> Integer,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    meeting_people (id) {
        id -> Integer,
        meeting_id -> Integer,
        user_id -> Nullable<Integer>,
        name -> Text,
        unit -> Text,
        attendance -> Text,
        reason -> Text,
        position -> Integer,
    }
}

diesel::table! {
    meeting_items (id) {
        id -> Integer,
        meeting_id -> Integer,
        position -> Integer,
        issue_id -> Nullable<Integer>,
        reasons -> Text,
        title -> Text,
        grid_id -> Nullable<Integer>,
        discussed_before -> Integer,
        age_days -> Integer,
        removed -> Bool,
        discussion -> Text,
        solution -> Text,
        resp_user_id -> Nullable<Integer>,
        resp_unit_id -> Nullable<Integer>,
        resp_party -> Text,
        resp_name -> Text,
        deadline -> Nullable<Date>,
        decided_at -> Nullable<Timestamp>,
        version -> Integer,
    }
}

diesel::table! {
    meeting_corrections (id) {
        id -> Integer,
        meeting_id -> Integer,
        actor_id -> Nullable<Integer>,
        reason -> Text,
        changes -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    party_branches (id) {
        id -> Integer,
        unit_id -> Integer,
        scope_path -> Text,
        name -> Text,
        kind -> Text,
        secretary -> Text,
        secretary_user_id -> Nullable<Integer>,
        phone -> Text,
        first_secretary -> Text,
        first_secretary_post -> Text,
        first_secretary_since -> Nullable<Date>,
        demo_site -> Bool,
        demo_criteria -> Text,
        demo_evidence -> Text,
        demo_reviewed_on -> Nullable<Date>,
        demo_review -> Text,
        notes -> Text,
        members -> Integer,
        last_activity -> Nullable<Date>,
        active -> Bool,
        version -> Integer,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    party_members (id) {
        id -> Integer,
        branch_id -> Integer,
        scope_path -> Text,
        name -> Text,
        gender -> Text,
        birth_year -> Nullable<Integer>,
        joined_on -> Date,
        phone -> Text,
        address -> Text,
        difficulty -> Text,
        volunteer -> Bool,
        building_group -> Text,
        notes -> Text,
        active -> Bool,
        version -> Integer,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    party_activities (id) {
        id -> Integer,
        branch_id -> Integer,
        scope_path -> Text,
        kind -> Text,
        title -> Text,
        day -> Date,
        start_time -> Text,
        end_time -> Text,
        place -> Text,
        host -> Text,
        recorder -> Text,
        content -> Text,
        outcomes -> Text,
        expected -> Integer,
        present -> Integer,
        visited -> Text,
        visited_member_id -> Nullable<Integer>,
        difficulty -> Text,
        given -> Text,
        pairing_id -> Nullable<Integer>,
        photos -> Integer,
        created_by -> Nullable<Integer>,
        version -> Integer,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    party_attendance (id) {
        id -> Integer,
        activity_id -> Integer,
        member_id -> Integer,
        attendance -> Text,
        reason -> Text,
    }
}

diesel::table! {
    party_activity_links (id) {
        id -> Integer,
        activity_id -> Integer,
        grid_id -> Nullable<Integer>,
        issue_id -> Nullable<Integer>,
    }
}

diesel::table! {
    party_activity_photos (id) {
        id -> Integer,
        activity_id -> Integer,
        file_key -> Text,
        thumb_key -> Text,
        uploaded_by -> Nullable<Integer>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    party_pairings (id) {
        id -> Integer,
        branch_id -> Integer,
        scope_path -> Text,
        member_id -> Integer,
        household -> Text,
        address -> Text,
        situation -> Text,
        since -> Date,
        active -> Bool,
        ended_on -> Nullable<Date>,
        end_note -> Text,
        version -> Integer,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    party_opinions (id) {
        id -> Integer,
        unit_id -> Integer,
        scope_path -> Text,
        channel -> Text,
        received_on -> Date,
        content -> Text,
        contact_name -> Text,
        contact_phone -> Text,
        state -> Text,
        answer -> Text,
        answered_by -> Nullable<Integer>,
        answered_at -> Nullable<Timestamp>,
        issue_id -> Nullable<Integer>,
        created_by -> Nullable<Integer>,
        version -> Integer,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    assess_schemes (id) {
        id -> Integer,
        name -> Text,
        basis -> Text,
        objects -> Text,
        cycle -> Text,
        bands -> Text,
        scope_path -> Text,
        version -> Integer,
        status -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    assess_indicators (id) {
        id -> Integer,
        scheme_id -> Integer,
        parent_id -> Nullable<Integer>,
        depth -> Integer,
        code -> Text,
        name -> Text,
        full_marks -> Integer,
        method -> Text,
        params -> Text,
        source -> Text,
        floor_points -> Integer,
        cap_points -> Nullable<Integer>,
        sort_order -> Integer,
    }
}

diesel::table! {
    assess_results (id) {
        id -> Integer,
        scheme_id -> Integer,
        period -> Text,
        object_kind -> Text,
        object_id -> Integer,
        object_name -> Text,
        scope_path -> Text,
        group_path -> Text,
        ranking_group -> Text,
        total -> Integer,
        grade -> Text,
        group_rank -> Integer,
        state -> Text,
        version -> Integer,
        computed_at -> Timestamp,
        published_at -> Nullable<Timestamp>,
        published_by -> Nullable<Integer>,
    }
}

diesel::table! {
    assess_entries (id) {
        id -> Integer,
        result_id -> Integer,
        indicator_id -> Integer,
        points -> Integer,
        figure -> Text,
        formula -> Text,
        source_url -> Text,
        manual -> Bool,
        reason -> Text,
        evidence -> Text,
        entered_by -> Nullable<Integer>,
        created_at -> Timestamp,
        reverses -> Nullable<Integer>,
        reversed_by -> Nullable<Integer>,
    }
}

diesel::table! {
    inspection_rounds (id) {
        id -> Integer,
        unit_id -> Integer,
        scope_path -> Text,
        title -> Text,
        mode -> Text,
        planned_from -> Date,
        planned_to -> Date,
        notes -> Text,
        created_by -> Integer,
        version -> Integer,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    inspection_round_units (id) {
        id -> Integer,
        round_id -> Integer,
        unit_id -> Integer,
        unit_path -> Text,
        unit_name -> Text,
    }
}

diesel::table! {
    inspection_round_items (id) {
        id -> Integer,
        round_id -> Integer,
        position -> Integer,
        item -> Text,
        standard -> Text,
    }
}

diesel::table! {
    inspection_round_inspectors (id) {
        id -> Integer,
        round_id -> Integer,
        user_id -> Integer,
        name -> Text,
    }
}

diesel::table! {
    inspection_visits (id) {
        id -> Integer,
        round_id -> Integer,
        unit_id -> Integer,
        unit_path -> Text,
        unit_name -> Text,
        day -> Date,
        inspector_id -> Integer,
        created_at -> Timestamp,
    }
}

diesel::table! {
    inspection_results (id) {
        id -> Integer,
        visit_id -> Integer,
        item_id -> Integer,
        result -> Text,
    }
}

diesel::table! {
    inspection_findings (id) {
        id -> Integer,
        visit_id -> Integer,
        round_id -> Integer,
        unit_id -> Integer,
        unit_path -> Text,
        description -> Text,
        place -> Text,
        category_id -> Integer,
        severity -> Text,
        fixed_on_spot -> Bool,
        missed -> Bool,
        state -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    register_compounds (id) {
        id -> Integer,
        grid_id -> Integer,
        scope_path -> Text,
        name -> Text,
        kind -> Text,
        address -> Text,
        property_company -> Text,
        property_contact -> Text,
        property_phone -> Text,
        head_name -> Text,
        head_phone -> Text,
        lights_on -> Nullable<Date>,
        roads_on -> Nullable<Date>,
        water_on -> Nullable<Date>,
        safety_on -> Nullable<Date>,
        notes -> Text,
        version -> Integer,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    register_buildings (id) {
        id -> Integer,
        compound_id -> Integer,
        scope_path -> Text,
        name -> Text,
        floors -> Integer,
        units -> Integer,
        households -> Integer,
        version -> Integer,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    register_households (id) {
        id -> Integer,
        compound_id -> Integer,
        building_id -> Nullable<Integer>,
        scope_path -> Text,
        unit_no -> Text,
        room -> Text,
        moved_in -> Nullable<Date>,
        moved_out -> Nullable<Date>,
        notes -> Text,
        version -> Integer,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    register_persons (id) {
        id -> Integer,
        household_id -> Integer,
        scope_path -> Text,
        name -> Text,
        relation -> Text,
        id_number -> Text,
        sex -> Text,
        birth_date -> Nullable<Date>,
        phone -> Text,
        registered_address -> Text,
        separated -> Bool,
        tags -> Text,
        moved_in -> Nullable<Date>,
        moved_out -> Nullable<Date>,
        notes -> Text,
        version -> Integer,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    campaigns (id) {
        id -> Integer,
        unit_id -> Integer,
        scope_path -> Text,
        name -> Text,
        basis -> Text,
        lead_office -> Text,
        starts_on -> Date,
        ends_on -> Date,
        note -> Text,
        version -> Integer,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    campaign_targets (id) {
        id -> Integer,
        campaign_id -> Integer,
        item -> Text,
        unit_of_count -> Text,
        target -> BigInt,
        created_at -> Timestamp,
    }
}

diesel::table! {
    campaign_tallies (id) {
        id -> Integer,
        campaign_id -> Integer,
        target_id -> Integer,
        unit_id -> Integer,
        scope_path -> Text,
        done_on -> Date,
        amount -> BigInt,
        note -> Text,
        corrects_id -> Nullable<Integer>,
        reason -> Text,
        entered_by -> Integer,
        created_at -> Timestamp,
    }
}

diesel::table! {
    register_imports (id) {
        id -> Integer,
        scope_path -> Text,
        user_id -> Integer,
        filename -> Text,
        state -> Text,
        mode -> Text,
        rows_json -> Text,
        total -> Integer,
        error_rows -> Integer,
        households_added -> Integer,
        persons_added -> Integer,
        version -> Integer,
        created_at -> Timestamp,
        committed_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    inspection_notices (id) {
        id -> Integer,
        round_id -> Integer,
        issuer_path -> Text,
        unit_id -> Integer,
        unit_path -> Text,
        unit_name -> Text,
        year -> Integer,
        number -> Integer,
        issued_on -> Date,
        working_days -> Integer,
        first_deadline -> Date,
        deadline -> Date,
        requirements -> Text,
        issued_by -> Integer,
        signed_name -> Text,
        signed_by -> Nullable<Integer>,
        signed_at -> Nullable<Timestamp>,
        ext_state -> Text,
        ext_days -> Integer,
        ext_reason -> Text,
        ext_asked_by -> Nullable<Integer>,
        ext_decided_by -> Nullable<Integer>,
        version -> Integer,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    inspection_notice_findings (id) {
        id -> Integer,
        notice_id -> Integer,
        finding_id -> Integer,
        position -> Integer,
    }
}

diesel::table! {
    inspection_answers (id) {
        id -> Integer,
        notice_id -> Integer,
        finding_id -> Integer,
        body -> Text,
        answered_by -> Integer,
        answered_name -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    inspection_reinspections (id) {
        id -> Integer,
        finding_id -> Integer,
        notice_id -> Nullable<Integer>,
        result -> Text,
        note -> Text,
        inspector_id -> Integer,
        inspector_name -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    inspection_finding_links (id) {
        id -> Integer,
        finding_id -> Integer,
        kind -> Text,
        target_id -> Integer,
        created_by -> Integer,
        created_at -> Timestamp,
    }
}

diesel::joinable!(users -> org_units (org_unit_id));
diesel::joinable!(sessions -> users (user_id));
diesel::joinable!(grid_people -> org_units (grid_id));
diesel::joinable!(key_sites -> org_units (grid_id));
diesel::joinable!(issues -> issue_categories (category_id));
diesel::joinable!(issue_events -> issues (issue_id));
diesel::joinable!(issue_photos -> issues (issue_id));
diesel::joinable!(issue_urges -> issues (issue_id));
diesel::joinable!(patrols -> org_units (grid_id));
diesel::joinable!(patrol_sites -> patrols (patrol_id));
diesel::joinable!(patrol_sites -> key_sites (site_id));
diesel::joinable!(patrol_visits -> patrols (patrol_id));
diesel::joinable!(patrol_issues -> patrols (patrol_id));
diesel::joinable!(patrol_corrections -> patrols (patrol_id));
diesel::joinable!(meetings -> org_units (unit_id));
diesel::joinable!(meeting_people -> meetings (meeting_id));
diesel::joinable!(meeting_items -> meetings (meeting_id));
diesel::joinable!(meeting_items -> issues (issue_id));
diesel::joinable!(meeting_corrections -> meetings (meeting_id));
diesel::joinable!(party_branches -> org_units (unit_id));
diesel::joinable!(party_members -> party_branches (branch_id));
diesel::joinable!(party_activities -> party_branches (branch_id));
diesel::joinable!(party_attendance -> party_activities (activity_id));
diesel::joinable!(party_attendance -> party_members (member_id));
diesel::joinable!(party_activity_links -> party_activities (activity_id));
diesel::joinable!(party_activity_photos -> party_activities (activity_id));
diesel::joinable!(party_pairings -> party_branches (branch_id));

diesel::table! {
    livelihood_indicators (id) {
        id -> Integer,
        unit_id -> Integer,
        scope_path -> Text,
        year -> Integer,
        name -> Text,
        count_unit -> Text,
        summed -> Bool,
        target -> BigInt,
        office -> Text,
        note -> Text,
        sort_order -> Integer,
        version -> Integer,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    livelihood_entries (id) {
        id -> Integer,
        indicator_id -> Integer,
        scope_path -> Text,
        month -> Integer,
        amount -> BigInt,
        reason -> Text,
        author_id -> Nullable<Integer>,
        author_name -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    livelihood_frozen (unit_id, year, month) {
        unit_id -> Integer,
        year -> Integer,
        month -> Integer,
        frozen_by -> Nullable<Integer>,
        frozen_at -> Timestamp,
    }
}

diesel::joinable!(livelihood_entries -> livelihood_indicators (indicator_id));

diesel::joinable!(campaigns -> org_units (unit_id));
diesel::joinable!(campaign_targets -> campaigns (campaign_id));
diesel::joinable!(campaign_tallies -> campaign_targets (target_id));

diesel::allow_tables_to_appear_in_same_query!(
    org_units,
    users,
    sessions,
    login_log,
    audit_log,
    grid_people,
    key_sites,
    form_submissions,
    work_calendar,
    issue_categories,
    issues,
    issue_events,
    issue_photos,
    issue_urges,
    issue_counters,
    issue_stats,
    issue_frozen,
    issue_drafts,
    patrols,
    patrol_sites,
    patrol_visits,
    patrol_issues,
    patrol_corrections,
    meetings,
    meeting_people,
    meeting_items,
    meeting_corrections,
    party_branches,
    party_members,
    party_activities,
    party_attendance,
    party_activity_links,
    party_activity_photos,
    party_pairings,
    party_opinions,
    livelihood_indicators,
    livelihood_entries,
    livelihood_frozen,
    assess_schemes,
    assess_indicators,
    assess_results,
    assess_entries,
    projects,
    project_milestones,
    project_approvals,
    project_reports,
    project_problems,
    inspection_rounds,
    inspection_round_units,
    inspection_round_items,
    inspection_round_inspectors,
    inspection_visits,
    inspection_results,
    inspection_findings,
    register_compounds,
    register_buildings,
    register_households,
    register_persons,
    demolition_commands,
    demolition_groups,
    demolition_households,
    demolition_steps,
    demolition_daily_reports,
    campaigns,
    campaign_targets,
    campaign_tallies,
    register_imports,
    inspection_notices,
    inspection_notice_findings,
    inspection_answers,
    inspection_reinspections,
    inspection_finding_links,
);

diesel::table! {
    projects (id) {
        id -> Integer,
        unit_id -> Integer,
        scope_path -> Text,
        name -> Text,
        level -> Text,
        class -> Text,
        owner -> Text,
        place -> Text,
        content -> Text,
        total_cents -> BigInt,
        plan_year -> Integer,
        year_plan_cents -> BigInt,
        planned_start -> Nullable<Date>,
        planned_finish -> Nullable<Date>,
        actual_start -> Nullable<Date>,
        actual_finish -> Nullable<Date>,
        leader -> Text,
        person -> Text,
        version -> Integer,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    project_milestones (id) {
        id -> Integer,
        project_id -> Integer,
        stage -> Text,
        planned_on -> Nullable<Date>,
        actual_on -> Nullable<Date>,
        status -> Text,
        note -> Text,
        version -> Integer,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    project_approvals (id) {
        id -> Integer,
        project_id -> Integer,
        kind -> Text,
        number -> Text,
        issued_on -> Nullable<Date>,
        expires_on -> Nullable<Date>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    project_reports (id) {
        id -> Integer,
        project_id -> Integer,
        year -> Integer,
        month -> Integer,
        done_cents -> BigInt,
        progress -> Text,
        problems -> Text,
        corrects_id -> Nullable<Integer>,
        reason -> Text,
        reported_by -> Integer,
        created_at -> Timestamp,
    }
}

diesel::table! {
    project_problems (id) {
        id -> Integer,
        project_id -> Integer,
        problem -> Text,
        raised_on -> Date,
        unit -> Text,
        leader -> Text,
        deadline -> Nullable<Date>,
        state -> Text,
        closed_on -> Nullable<Date>,
        version -> Integer,
        created_at -> Timestamp,
    }
}

diesel::joinable!(projects -> org_units (unit_id));
diesel::joinable!(project_milestones -> projects (project_id));
diesel::joinable!(project_approvals -> projects (project_id));
diesel::joinable!(project_reports -> projects (project_id));
diesel::joinable!(project_problems -> projects (project_id));

diesel::table! {
    demolition_commands (id) {
        id -> Integer,
        project_id -> Integer,
        scope_path -> Text,
        name -> Text,
        commander -> Text,
        started_on -> Date,
        target_on -> Date,
        closed -> Bool,
        version -> Integer,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    demolition_groups (id) {
        id -> Integer,
        command_id -> Integer,
        name -> Text,
        leader -> Text,
        members -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    demolition_households (id) {
        id -> Integer,
        command_id -> Integer,
        group_id -> Integer,
        kind -> Text,
        building -> Text,
        address -> Text,
        area_dm2 -> BigInt,
        head -> Text,
        cadre -> Text,
        stage -> Text,
        version -> Integer,
        created_at -> Timestamp,
    }
}

diesel::table! {
    demolition_steps (id) {
        id -> Integer,
        household_id -> Integer,
        command_id -> Integer,
        group_id -> Integer,
        step -> Text,
        done_on -> Date,
        note -> Text,
        recorded_by -> Nullable<Integer>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    demolition_daily_reports (id) {
        id -> Integer,
        command_id -> Integer,
        group_id -> Integer,
        day -> Date,
        signed_today -> Integer,
        signed_total -> Integer,
        moved_today -> Integer,
        moved_total -> Integer,
        difficulties -> Text,
        submitted_by -> Nullable<Integer>,
        created_at -> Timestamp,
    }
}
