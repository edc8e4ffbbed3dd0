-- When the thread of a pending request was reminded that it waits (half its time to live gone
-- without a decision); set once, conditionally, so two replicas never remind twice.
alter table chat_conversation add column reminded_at timestamp with time zone;
