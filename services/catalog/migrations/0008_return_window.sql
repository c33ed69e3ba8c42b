-- How long after shipping a shopper may ask to return what they bought, per region (the law sets
-- a floor in some: 14 days in the EU and the UK). An order keeps the window it was sold with.
ALTER TABLE regions ADD COLUMN return_days integer NOT NULL DEFAULT 30
  CHECK (return_days BETWEEN 0 AND 365);
