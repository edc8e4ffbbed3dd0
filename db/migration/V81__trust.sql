-- Approvals bound to what runs (io.obops.cluster, io.obops.approval). Portable between PostgreSQL
-- 15+ and H2 2.x (MODE=PostgreSQL).

-- The servers a task was approved for: what its remote steps act on, whatever the inventory says
-- later. Written with the task, never changed.
create table approved_server (
    task_id     bigint not null references task_instance (id) on delete cascade,
    cluster_id  bigint not null,
    server_id   bigint not null,
    zone_name   varchar(128) not null,
    ip          varchar(64) not null,
    ssh_port    integer not null,
    ssh_user    varchar(64) not null,
    home_path   varchar(512) not null,
    mysql_port  integer not null,
    rpc_port    integer not null,
    primary key (task_id, server_id)
);

-- Inventory changes to a cluster an operation holds wait here until the operation ends; the
-- instance that ends it applies them in the same transaction (any replica can). spec is the
-- cluster's description as JSON, or null when the file no longer lists the cluster. waits_for is
-- the held cluster whose operation must end first (the cluster itself, or the cluster a server of
-- it still belongs to).
create table inventory_deferred (
    cluster_id      bigint primary key,
    spec            varchar(1048576),
    waits_for       bigint not null,
    holder_task_id  bigint not null,
    deferred_at     timestamp with time zone not null
);
create index inventory_deferred_waits_for on inventory_deferred (waits_for);

-- The role principals the requester acted with (comma-separated discord-role:<id>), so that the
-- requester's own permission can be checked again, under the access file in force, when the request
-- is decided.
alter table approval_request add column requester_roles varchar(4096) not null default '';
create index approval_request_task on approval_request (task_id);

-- A request now creates its task (gated) at once; requests left PENDING by an older obops have
-- none, so they are closed and must be made again.
update approval_request
   set state = 'CANCELLED', close_reason = 'SUPERSEDED',
       close_detail = 'obops was upgraded while this request was pending; request it again',
       finished_at = current_timestamp, pending_cluster_id = null
 where state = 'PENDING';
