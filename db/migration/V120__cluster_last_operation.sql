-- The task that last finished an operation on a cluster (a stop or a start) and let it go, so a
-- refusal can say who stopped a STOPPED cluster, when, and with which task.
alter table ob_cluster add column last_operation_task_id bigint;
