-- A stop's approval request binds the servers as approved (ip, ssh port and user, home_path, ports
-- of each): about 200 characters a server, so a cluster of 1000 servers did not fit in 65536 and
-- its stop request failed. The same limit as task_instance.context.
alter table approval_request alter column params set data type varchar(1048576);
