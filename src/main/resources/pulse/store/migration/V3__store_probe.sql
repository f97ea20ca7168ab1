-- One row the store probe rewrites while the store is faulted (a full disk): the write that
-- succeeds tells Pulse it can resume.
CREATE TABLE pulse_store_probe (
  id        INT PRIMARY KEY,
  probed_at TIMESTAMP WITH TIME ZONE NOT NULL
);
INSERT INTO pulse_store_probe (id, probed_at) VALUES (1, CURRENT_TIMESTAMP);
