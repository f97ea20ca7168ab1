-- Named leases (pulse.api.store.NamedLeases): who does a piece of work that one node at a time may
-- do, until when. A row exists only while a name is or was lately held.
CREATE TABLE pulse_leases (
  name        VARCHAR(200) PRIMARY KEY,
  owner       VARCHAR(200) NOT NULL,
  acquired_at TIMESTAMP WITH TIME ZONE NOT NULL,
  until_at    TIMESTAMP WITH TIME ZONE NOT NULL
);
