-- 003_sync_status records what an unattended sync needs to be monitored and
-- to share the database with other writers:
--
-- 1. A run's outcome may now be 'refused': the deletion guard refused some
--    companies, which were left out, and the others were applied. Runs also
--    record the command that ran them and whether the configuration
--    directory had uncommitted changes to tracked files (dirty), so that the
--    commit a run names is known to describe what was applied.
-- 2. sync_status holds, per company slug and kind, the last attempt to sync
--    it: when, by which run, with which outcome and why. It is keyed by
--    slug, not by company row, because a sync can fail before a company
--    exists in Gridwork (Personio was down on the first run). The last
--    success stays in company_sync.last_synced_at.
-- 3. sync_lock_holders says who holds the apply lock: the gridsync process
--    (host, pid, command) behind a database session. A writer registers its
--    session before it takes the lock, so that a writer waiting for the
--    lock can name the holder rather than a PostgreSQL backend pid.

alter table sync_runs drop constraint sync_runs_outcome_check;
alter table sync_runs add constraint sync_runs_outcome_check
    check (outcome in ('succeeded', 'refused', 'failed'));
alter table sync_runs add column command text not null default '';
alter table sync_runs add column dirty boolean not null default false;

create table sync_status (
    company         text not null,
    kind            text not null check (kind in ('employees', 'jobs')),
    last_attempt_at timestamptz not null,
    last_run_id     bigint references sync_runs (id) on delete set null,
    last_outcome    text not null check (last_outcome in ('succeeded', 'refused', 'failed')),
    last_error      text not null default '',
    primary key (company, kind)
);

-- backend_pid is the PostgreSQL session; host, pid and command the gridsync
-- process using it. Rows of sessions that have ended are harmless (a
-- waiter only reads the row of the session holding the lock) and are
-- cleared by the next writer.
create table sync_lock_holders (
    backend_pid integer primary key,
    host        text not null,
    pid         integer not null,
    command     text not null,
    actor       text not null default '',
    since       timestamptz not null default now()
);

---- create above / drop below ----

drop table sync_lock_holders;
drop table sync_status;
alter table sync_runs drop column dirty;
alter table sync_runs drop column command;
update sync_runs set outcome = 'failed' where outcome = 'refused';
alter table sync_runs drop constraint sync_runs_outcome_check;
alter table sync_runs add constraint sync_runs_outcome_check
    check (outcome in ('succeeded', 'failed'));
