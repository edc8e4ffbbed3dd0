-- The pre-flight plan (io.obops.obcluster.PreflightPlans): what a read-only inspection found on
-- every server of a task when it was requested, replaced by each refresh (version one up). Portable
-- between PostgreSQL 15+ and H2 2.x (MODE=PostgreSQL).
create table preflight_plan (
    task_id       bigint primary key references task_instance (id) on delete cascade,
    version       integer not null,
    inspected_at  timestamp with time zone not null,
    took_ms       bigint not null,
    plan_hash     varchar(64) not null,
    findings      varchar(1048576) not null
);

-- The plan each approval was given for (its hash), so what an approver approved is on record.
alter table approval_decision add column plan_hash varchar(64);
