CREATE TABLE categories (
  id uuid PRIMARY KEY,
  slug text NOT NULL UNIQUE CHECK (slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$'),
  name text NOT NULL,
  parent_id uuid REFERENCES categories (id),
  position integer NOT NULL DEFAULT 0
);

CREATE TABLE products (
  id uuid PRIMARY KEY,
  slug text NOT NULL UNIQUE CHECK (slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$'),
  name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  description text NOT NULL,
  category_id uuid NOT NULL REFERENCES categories (id),
  status text NOT NULL CHECK (status IN ('draft', 'active', 'archived')),
  images text[] NOT NULL DEFAULT '{}',
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);

-- The public listing reads active products newest first; the id breaks ties for the cursor.
CREATE INDEX products_active_newest ON products (created_at DESC, id DESC) WHERE status = 'active';
CREATE INDEX products_category ON products (category_id);

CREATE TABLE variants (
  sku text PRIMARY KEY CHECK (sku ~ '^[A-Z0-9]+(-[A-Z0-9]+)*$'),
  product_id uuid NOT NULL REFERENCES products (id) ON DELETE CASCADE,
  options jsonb NOT NULL DEFAULT '{}',
  price_amount integer NOT NULL CHECK (price_amount > 0),
  currency char(3) NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
  position integer NOT NULL DEFAULT 0
);

CREATE INDEX variants_product ON variants (product_id, position);
