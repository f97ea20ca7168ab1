CREATE TABLE upgrade_c (id INT PRIMARY KEY);
INSERT INTO upgrade_b (note) VALUES ('second');
ALTER TABLE upgrade_a ADD COLUMN extra INT;
CREATE TABLE upgrade_d (id INT PRIMARY KEY);
