-- Gated tasks (io.obops.task): a task created to wait for something outside the engine (an
-- approval) holds its root subtasks until the gate opens. Null for an ordinary task; HELD while it
-- waits (each root subtask then has one extra pending upstream, the gate); OPEN once opened;
-- REFUSED when the gate was refused (the task ended FAILED and can never run).
alter table task_instance add column gate varchar(16);
