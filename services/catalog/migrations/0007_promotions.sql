-- Codes a shopper applies to a cart. A fixed amount off and a minimum subtotal are in `currency`,
-- and such a code works only in regions that sell in it; a percentage or free shipping without a
-- minimum works everywhere.
CREATE TABLE promotions (
  id uuid PRIMARY KEY,
  -- Kept upper-case: codes are matched without regard to case.
  code text NOT NULL UNIQUE CHECK (code ~ '^[A-Z0-9][A-Z0-9_-]{1,31}$'),
  description text NOT NULL DEFAULT '',
  kind text NOT NULL CHECK (kind IN ('percentage', 'fixed', 'free_shipping')),
  percent integer CHECK (percent BETWEEN 1 AND 100),
  amount integer CHECK (amount > 0),
  currency char(3) CHECK (currency ~ '^[A-Z]{3}$'),
  -- Off the lines of this category (and its sub-categories) only; NULL: the whole order.
  category text,
  min_subtotal integer CHECK (min_subtotal > 0),
  starts_at timestamptz NOT NULL DEFAULT now(),
  ends_at timestamptz,
  usage_limit integer CHECK (usage_limit > 0),
  per_customer_limit integer CHECK (per_customer_limit > 0),
  active boolean NOT NULL DEFAULT true,
  -- Uses held or committed: kept with the row, so that a hold is one conditional update.
  uses integer NOT NULL DEFAULT 0 CHECK (uses >= 0),
  created_at timestamptz NOT NULL DEFAULT now(),
  CHECK ((kind = 'percentage') = (percent IS NOT NULL)),
  CHECK ((kind = 'fixed') = (amount IS NOT NULL)),
  CHECK ((amount IS NULL AND min_subtotal IS NULL) OR currency IS NOT NULL),
  CHECK (ends_at IS NULL OR ends_at > starts_at),
  CHECK (usage_limit IS NULL OR uses <= usage_limit)
);

-- Each order's use of a code: held at checkout like stock, then committed with the order or
-- released with its failure; a hold that is neither by `expires_at` is released by the sweeper.
CREATE TABLE promotion_uses (
  order_id uuid PRIMARY KEY,
  promotion_id uuid NOT NULL REFERENCES promotions (id),
  -- The shopper, for the per-customer limit: a user id, or a guest's e-mail address.
  customer text NOT NULL,
  status text NOT NULL CHECK (status IN ('held', 'committed', 'released')),
  expires_at timestamptz NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX promotion_uses_customer ON promotion_uses (promotion_id, customer) WHERE status <> 'released';
CREATE INDEX promotion_uses_expiring ON promotion_uses (expires_at) WHERE status = 'held';
