-- Engine instances (io.obops.task): a stable name (obops.server-name) and its incarnations, one
-- row each, numbered up at every start. Executors are written as '<name>#<incarnation>', so a
-- restarted instance knows which RUNNING subtasks its earlier incarnations left behind and takes
-- them back at once instead of waiting for the reaper. Rows of incarnations taken over are deleted.
create table engine_instance (
    name            varchar(128) not null,
    incarnation     bigint not null,
    started_at      timestamp with time zone not null,
    last_heartbeat  timestamp with time zone not null,
    primary key (name, incarnation)
);
