-- 001_init creates the Gridwork target store as gridsync sees it: companies
-- and their locations (with the Personio office each is mapped to),
-- employees and jobs (synced rows carry external_source/external_id), the
-- sync log, and the last-synced time per company and kind.
--
-- Every synced text field is NOT NULL DEFAULT '' so that gridsync's
-- "a missing attribute and the empty string are the same" holds in SQL too
-- and IS DISTINCT FROM comparisons never trip over NULL versus ''.

create table companies (
    id         bigserial primary key,
    slug       text not null unique,
    name       text not null default '',
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now()
);

create table locations (
    id                   bigserial primary key,
    company_id           bigint not null references companies (id),
    slug                 text not null,
    name                 text not null default '',
    personio_office_id   bigint,
    personio_office_name text,
    created_at           timestamptz not null default now(),
    updated_at           timestamptz not null default now(),
    unique (company_id, slug),
    -- (company_id, id) lets employees and jobs reference a location of
    -- their own company only.
    unique (company_id, id)
);

create table employees (
    id                bigserial primary key,
    company_id        bigint not null references companies (id),
    location_id       bigint,
    external_source   text,
    external_id       text,
    first_name        text not null default '',
    last_name         text not null default '',
    gender            text not null default '',
    position          text not null default '',
    email             text not null default '',
    status            text not null default '',
    profile_image_url text not null default '',
    created_at        timestamptz not null default now(),
    updated_at        timestamptz not null default now(),
    synced_at         timestamptz,
    foreign key (company_id, location_id) references locations (company_id, id),
    constraint employees_external_link check ((external_source is null) = (external_id is null)),
    constraint employees_external_key unique (company_id, external_source, external_id)
);

-- Adoption matches unlinked employees by email, case-insensitively.
create index employees_company_email on employees (company_id, lower(email));

create table jobs (
    id              bigserial primary key,
    company_id      bigint not null references companies (id),
    location_id     bigint,
    external_source text,
    external_id     text,
    title           text not null default '',
    description     text not null default '',
    employment_type text not null default '',
    schedule        text not null default '',
    department      text not null default '',
    application_url text not null default '',
    status          text not null default '',
    created_at      timestamptz not null default now(),
    updated_at      timestamptz not null default now(),
    synced_at       timestamptz,
    foreign key (company_id, location_id) references locations (company_id, id),
    constraint jobs_external_link check ((external_source is null) = (external_id is null)),
    constraint jobs_external_key unique (company_id, external_source, external_id)
);

create table sync_runs (
    id              bigserial primary key,
    started_at      timestamptz not null,
    finished_at     timestamptz not null,
    outcome         text not null check (outcome in ('succeeded', 'failed')),
    error           text not null default '',
    git_commit      text not null default '',
    actor           text not null default '',
    config_dir      text not null default '',
    config_digest   text not null default '',
    personio_digest text not null default '',
    target_digest   text not null default '',
    plan_digest     text not null default '',
    created         integer not null default 0,
    updated         integer not null default 0,
    adopted         integer not null default 0,
    unlinked        integer not null default 0,
    deleted         integer not null default 0,
    rows_written    bigint not null default 0
);

create index sync_runs_started_at on sync_runs (started_at desc);

create table sync_changes (
    run_id    bigint not null references sync_runs (id) on delete cascade,
    seq       integer not null,
    address   text not null,
    action    text not null,
    type      text not null,
    company   text not null,
    key       text not null default '',
    target_id bigint,
    before    jsonb,
    after     jsonb,
    reason    text not null default '',
    primary key (run_id, seq)
);

-- company_sync holds the per-company sync settings gridsync last applied
-- (enabled) and when each kind last synced successfully.
create table company_sync (
    company_id     bigint not null references companies (id),
    kind           text not null check (kind in ('employees', 'jobs')),
    enabled        boolean not null,
    last_synced_at timestamptz,
    last_run_id    bigint references sync_runs (id),
    primary key (company_id, kind)
);

-- gridsync_refuse_synced_write keeps Personio-linked rows read-only for
-- every writer except gridsync, which marks its transaction with
-- set_config('gridsync.writer', 'on', true). Rows the app writes by hand
-- (external_source is null) stay editable; linking a row by hand is refused
-- as well, so only gridsync creates links. The checks live in the triggers'
-- WHEN conditions, so the function runs only for a write it refuses and
-- neither gridsync's bulk writes nor the app's own rows pay for a call.
create function gridsync_refuse_synced_write() returns trigger
language plpgsql as $$
begin
    if tg_op = 'INSERT' or (tg_op = 'UPDATE' and old.external_source is distinct from 'personio') then
        raise exception 'only gridsync may link % to Personio: map the office in the gridsync configuration and run gridsync apply',
                tg_table_name
            using errcode = 'insufficient_privilege';
    end if;
    raise exception '% % is synced from Personio and read-only: unmap its office or delete it in Personio to edit it',
            rtrim(tg_table_name, 's'), old.id
        using errcode = 'insufficient_privilege';
end;
$$;

create trigger employees_refuse_synced_insert before insert on employees for each row
    when (new.external_source = 'personio' and current_setting('gridsync.writer', true) is distinct from 'on')
    execute function gridsync_refuse_synced_write();
create trigger employees_refuse_synced_update before update on employees for each row
    when ((old.external_source = 'personio' or new.external_source = 'personio')
          and current_setting('gridsync.writer', true) is distinct from 'on')
    execute function gridsync_refuse_synced_write();
create trigger employees_refuse_synced_delete before delete on employees for each row
    when (old.external_source = 'personio' and current_setting('gridsync.writer', true) is distinct from 'on')
    execute function gridsync_refuse_synced_write();

create trigger jobs_refuse_synced_insert before insert on jobs for each row
    when (new.external_source = 'personio' and current_setting('gridsync.writer', true) is distinct from 'on')
    execute function gridsync_refuse_synced_write();
create trigger jobs_refuse_synced_update before update on jobs for each row
    when ((old.external_source = 'personio' or new.external_source = 'personio')
          and current_setting('gridsync.writer', true) is distinct from 'on')
    execute function gridsync_refuse_synced_write();
create trigger jobs_refuse_synced_delete before delete on jobs for each row
    when (old.external_source = 'personio' and current_setting('gridsync.writer', true) is distinct from 'on')
    execute function gridsync_refuse_synced_write();

-- TRUNCATE bypasses row triggers, so it is refused separately while
-- linked rows exist.
create function gridsync_refuse_synced_truncate() returns trigger
language plpgsql as $$
declare
    linked boolean;
begin
    execute format('select exists (select 1 from %I where external_source = %L)', tg_table_name, 'personio') into linked;
    if linked then
        raise exception '% holds records synced from Personio, which are read-only: unmap their offices or delete them in Personio instead of truncating',
                tg_table_name
            using errcode = 'insufficient_privilege';
    end if;
    return null;
end;
$$;

create trigger employees_refuse_synced_truncate before truncate on employees for each statement
    when (current_setting('gridsync.writer', true) is distinct from 'on')
    execute function gridsync_refuse_synced_truncate();
create trigger jobs_refuse_synced_truncate before truncate on jobs for each statement
    when (current_setting('gridsync.writer', true) is distinct from 'on')
    execute function gridsync_refuse_synced_truncate();

---- create above / drop below ----

drop table company_sync;
drop table sync_changes;
drop table sync_runs;
drop table jobs;
drop table employees;
drop table locations;
drop table companies;
drop function gridsync_refuse_synced_write();
drop function gridsync_refuse_synced_truncate();
