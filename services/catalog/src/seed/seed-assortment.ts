/**
 * The demo shop's assortment: ten departments of two aisles each. Every aisle crosses its
 * modifiers with its items, so 20 aisles × 3 modifiers × 4 items = 240 products.
 */
export type OptionScheme = 'apparel' | 'shoes' | 'colours' | 'single';

export type Aisle = {
  slug: string;
  name: string;
  code: string;
  options: OptionScheme;
  modifiers: ReadonlyArray<{ name: string; blurb: string; priceFactor: number }>;
  items: ReadonlyArray<{ name: string; blurb: string; basePrice: number }>;
};

export type Department = { slug: string; name: string; aisles: readonly Aisle[] };

export const assortment: readonly Department[] = [
  {
    slug: 'kitchen',
    name: 'Kitchen',
    aisles: [
      {
        slug: 'cookware',
        name: 'Cookware',
        code: 'CKW',
        options: 'single',
        modifiers: [
          {
            name: 'Cast Iron',
            blurb: 'Pre-seasoned cast iron that holds heat evenly.',
            priceFactor: 1.2,
          },
          {
            name: 'Carbon Steel',
            blurb: 'Light carbon steel that heats fast and seasons with use.',
            priceFactor: 1,
          },
          {
            name: 'Stainless',
            blurb: 'Tri-ply stainless steel, induction ready.',
            priceFactor: 1.35,
          },
        ],
        items: [
          {
            name: 'Skillet',
            blurb: 'A 26 cm pan for searing, frying and baking.',
            basePrice: 5400,
          },
          {
            name: 'Dutch Oven',
            blurb: 'A 5 litre pot with a tight lid for stews and bread.',
            basePrice: 9900,
          },
          {
            name: 'Wok',
            blurb: 'A 32 cm round-bottomed wok for fierce stir-fries.',
            basePrice: 4900,
          },
          { name: 'Saucepan', blurb: 'A 2 litre pan with a pouring lip.', basePrice: 3900 },
        ],
      },
      {
        slug: 'tableware',
        name: 'Tableware',
        code: 'TBW',
        options: 'colours',
        modifiers: [
          {
            name: 'Stoneware',
            blurb: 'Reactive-glaze stoneware, dishwasher safe.',
            priceFactor: 1,
          },
          { name: 'Porcelain', blurb: 'Fine white porcelain, thin and strong.', priceFactor: 1.25 },
          {
            name: 'Enamel',
            blurb: 'Chip-resistant enamel over steel, made for picnics.',
            priceFactor: 0.8,
          },
        ],
        items: [
          { name: 'Dinner Plate', blurb: 'A 27 cm plate with a low rim.', basePrice: 1800 },
          {
            name: 'Pasta Bowl',
            blurb: 'A wide, shallow bowl for pasta and salads.',
            basePrice: 1900,
          },
          { name: 'Mug', blurb: 'A 350 ml mug with a generous handle.', basePrice: 1400 },
          { name: 'Serving Platter', blurb: 'A 38 cm oval platter for sharing.', basePrice: 3600 },
        ],
      },
    ],
  },
  {
    slug: 'home',
    name: 'Home',
    aisles: [
      {
        slug: 'lighting',
        name: 'Lighting',
        code: 'LGT',
        options: 'colours',
        modifiers: [
          {
            name: 'Brass',
            blurb: 'Solid brass that warms in tone over the years.',
            priceFactor: 1.4,
          },
          { name: 'Oak', blurb: 'Oiled solid oak from managed forests.', priceFactor: 1.2 },
          {
            name: 'Linen Shade',
            blurb: 'A natural linen shade that softens the light.',
            priceFactor: 1,
          },
        ],
        items: [
          {
            name: 'Desk Lamp',
            blurb: 'An adjustable arm and a warm 2700 K LED put light where you work.',
            basePrice: 7900,
          },
          {
            name: 'Floor Lamp',
            blurb: 'A 160 cm reading lamp with a foot switch.',
            basePrice: 14900,
          },
          {
            name: 'Pendant Lamp',
            blurb: 'A ceiling pendant on a 2 m adjustable cord.',
            basePrice: 11900,
          },
          {
            name: 'Table Lamp',
            blurb: 'A bedside lamp with a dimmable touch base.',
            basePrice: 6900,
          },
        ],
      },
      {
        slug: 'textiles',
        name: 'Bedding & Textiles',
        code: 'TXT',
        options: 'colours',
        modifiers: [
          {
            name: 'Washed Linen',
            blurb: 'Stone-washed European flax linen, soft from the first night.',
            priceFactor: 1.3,
          },
          {
            name: 'Organic Cotton',
            blurb: 'GOTS-certified organic cotton percale.',
            priceFactor: 1,
          },
          { name: 'Merino Wool', blurb: 'Temperature-regulating merino wool.', priceFactor: 1.6 },
        ],
        items: [
          {
            name: 'Duvet Cover',
            blurb: 'A double duvet cover with hidden buttons.',
            basePrice: 8900,
          },
          { name: 'Throw Blanket', blurb: 'A 130 × 170 cm throw for the sofa.', basePrice: 6900 },
          {
            name: 'Cushion Cover',
            blurb: 'A 50 × 50 cm cushion cover with a zip.',
            basePrice: 2900,
          },
          { name: 'Tablecloth', blurb: 'A 140 × 240 cm tablecloth for six.', basePrice: 5400 },
        ],
      },
    ],
  },
  {
    slug: 'clothing',
    name: 'Clothing',
    aisles: [
      {
        slug: 'tops',
        name: 'Tops',
        code: 'TOP',
        options: 'apparel',
        modifiers: [
          { name: 'Essential', blurb: 'A relaxed everyday cut.', priceFactor: 1 },
          {
            name: 'Heavyweight',
            blurb: 'Dense 280 g/m² fabric that keeps its shape.',
            priceFactor: 1.3,
          },
          { name: 'Pima', blurb: 'Long-staple Pima cotton with a silky hand.', priceFactor: 1.45 },
        ],
        items: [
          { name: 'T-Shirt', blurb: 'A crew-neck tee with a taped neckline.', basePrice: 2500 },
          {
            name: 'Long Sleeve Tee',
            blurb: 'A long-sleeved tee with ribbed cuffs.',
            basePrice: 3200,
          },
          {
            name: 'Oxford Shirt',
            blurb: 'A button-down Oxford shirt with a back pleat.',
            basePrice: 5900,
          },
          {
            name: 'Hoodie',
            blurb: 'A brushed-back fleece hoodie with a kangaroo pocket.',
            basePrice: 6500,
          },
        ],
      },
      {
        slug: 'outerwear',
        name: 'Outerwear',
        code: 'OUT',
        options: 'apparel',
        modifiers: [
          {
            name: 'Waxed Cotton',
            blurb: 'Waxed cotton that shrugs off showers and re-waxes for life.',
            priceFactor: 1.2,
          },
          {
            name: 'Recycled Nylon',
            blurb: 'Light, packable recycled nylon with a water-repellent finish.',
            priceFactor: 1,
          },
          {
            name: 'Wool Blend',
            blurb: 'A warm wool blend with a quilted lining.',
            priceFactor: 1.35,
          },
        ],
        items: [
          {
            name: 'Field Jacket',
            blurb: 'Four bellows pockets and a storm collar.',
            basePrice: 14900,
          },
          {
            name: 'Parka',
            blurb: 'A hip-length parka with a hood and two-way zip.',
            basePrice: 19900,
          },
          { name: 'Overshirt', blurb: 'A shirt-jacket to layer over knitwear.', basePrice: 8900 },
          { name: 'Vest', blurb: 'A sleeveless layer for cold mornings.', basePrice: 7900 },
        ],
      },
    ],
  },
  {
    slug: 'footwear',
    name: 'Footwear',
    aisles: [
      {
        slug: 'sneakers',
        name: 'Sneakers',
        code: 'SNK',
        options: 'shoes',
        modifiers: [
          { name: 'Canvas', blurb: 'Breathable cotton canvas uppers.', priceFactor: 0.8 },
          {
            name: 'Leather',
            blurb: 'Full-grain leather uppers that mould to your foot.',
            priceFactor: 1.3,
          },
          {
            name: 'Knit',
            blurb: 'A seamless knit upper that weighs almost nothing.',
            priceFactor: 1.1,
          },
        ],
        items: [
          {
            name: 'Court Sneaker',
            blurb: 'A low-profile court shoe on a cupsole.',
            basePrice: 8900,
          },
          {
            name: 'Running Shoe',
            blurb: 'A cushioned daily trainer with a rocker sole.',
            basePrice: 11900,
          },
          {
            name: 'High-Top',
            blurb: 'An ankle-high classic with a vulcanised sole.',
            basePrice: 7900,
          },
          {
            name: 'Slip-On',
            blurb: 'Laceless, with elastic gores for quick wear.',
            basePrice: 6400,
          },
        ],
      },
      {
        slug: 'boots',
        name: 'Boots',
        code: 'BTS',
        options: 'shoes',
        modifiers: [
          { name: 'Suede', blurb: 'Water-treated suede with a soft nap.', priceFactor: 1 },
          {
            name: 'Oiled Leather',
            blurb: 'Oiled leather that darkens with character.',
            priceFactor: 1.25,
          },
          {
            name: 'Waterproof',
            blurb: 'A sealed membrane keeps feet dry on wet trails.',
            priceFactor: 1.15,
          },
        ],
        items: [
          { name: 'Chelsea Boot', blurb: 'Elastic sides and a pull tab.', basePrice: 15900 },
          {
            name: 'Hiking Boot',
            blurb: 'A grippy lugged sole and ankle support.',
            basePrice: 17900,
          },
          { name: 'Work Boot', blurb: 'A Goodyear-welted boot you can resole.', basePrice: 21900 },
          { name: 'Desert Boot', blurb: 'A two-eyelet chukka on a crepe sole.', basePrice: 12900 },
        ],
      },
    ],
  },
  {
    slug: 'outdoors',
    name: 'Outdoors',
    aisles: [
      {
        slug: 'camping',
        name: 'Camping',
        code: 'CMP',
        options: 'single',
        modifiers: [
          { name: 'Ultralight', blurb: 'Pared back to save every gram.', priceFactor: 1.4 },
          { name: 'Basecamp', blurb: 'Built for comfort where the car can go.', priceFactor: 1 },
          {
            name: 'Four-Season',
            blurb: 'Rated for wind, snow and sub-zero nights.',
            priceFactor: 1.6,
          },
        ],
        items: [
          {
            name: 'Tent',
            blurb: 'A two-person dome with two doors and vestibules.',
            basePrice: 24900,
          },
          { name: 'Sleeping Bag', blurb: 'A mummy bag with a draft collar.', basePrice: 16900 },
          {
            name: 'Camp Stove',
            blurb: 'A canister stove that boils a litre in four minutes.',
            basePrice: 5900,
          },
          {
            name: 'Lantern',
            blurb: 'A rechargeable LED lantern with three brightness levels.',
            basePrice: 3900,
          },
        ],
      },
      {
        slug: 'hiking',
        name: 'Hiking',
        code: 'HIK',
        options: 'colours',
        modifiers: [
          { name: 'Trail', blurb: 'Made for long days on marked trails.', priceFactor: 1 },
          {
            name: 'Alpine',
            blurb: 'Abrasion-resistant fabrics for rock and ice.',
            priceFactor: 1.35,
          },
          { name: 'Everyday', blurb: 'Just as at home on the commute.', priceFactor: 0.85 },
        ],
        items: [
          { name: 'Daypack', blurb: 'A 22 litre pack with a ventilated back.', basePrice: 8900 },
          {
            name: 'Trekking Poles',
            blurb: 'A pair of collapsible aluminium poles.',
            basePrice: 6900,
          },
          { name: 'Water Bottle', blurb: 'A 750 ml insulated steel bottle.', basePrice: 2900 },
          {
            name: 'Rain Shell',
            blurb: 'A packable waterproof, breathable jacket.',
            basePrice: 12900,
          },
        ],
      },
    ],
  },
  {
    slug: 'electronics',
    name: 'Electronics',
    aisles: [
      {
        slug: 'audio',
        name: 'Audio',
        code: 'AUD',
        options: 'colours',
        modifiers: [
          {
            name: 'Studio',
            blurb: 'A flat, honest response for mixing and listening.',
            priceFactor: 1.3,
          },
          { name: 'Wireless', blurb: 'Bluetooth 5.3 with 30 hours of battery.', priceFactor: 1.15 },
          { name: 'Compact', blurb: 'Small enough for a jacket pocket.', priceFactor: 0.8 },
        ],
        items: [
          {
            name: 'Headphones',
            blurb: 'Over-ear headphones with memory-foam cushions.',
            basePrice: 14900,
          },
          { name: 'Earbuds', blurb: 'In-ear buds with three tip sizes.', basePrice: 7900 },
          {
            name: 'Speaker',
            blurb: 'A splash-proof speaker with a fabric grille.',
            basePrice: 9900,
          },
          {
            name: 'Turntable',
            blurb: 'A belt-driven turntable with a built-in preamp.',
            basePrice: 24900,
          },
        ],
      },
      {
        slug: 'accessories',
        name: 'Accessories',
        code: 'ACC',
        options: 'colours',
        modifiers: [
          {
            name: 'Braided',
            blurb: 'A braided jacket that survives being coiled daily.',
            priceFactor: 1,
          },
          { name: 'Fast-Charge', blurb: 'Up to 65 W for laptops and phones.', priceFactor: 1.3 },
          { name: 'Travel', blurb: 'Folds flat for a carry-on.', priceFactor: 1.1 },
        ],
        items: [
          { name: 'USB-C Cable', blurb: 'A 2 m USB-C to USB-C cable.', basePrice: 1900 },
          { name: 'Power Bank', blurb: 'A 10,000 mAh battery with two ports.', basePrice: 4900 },
          {
            name: 'Wall Charger',
            blurb: 'A two-port charger with folding prongs.',
            basePrice: 3900,
          },
          {
            name: 'Laptop Sleeve',
            blurb: 'A padded sleeve for 13 to 14 inch laptops.',
            basePrice: 3400,
          },
        ],
      },
    ],
  },
  {
    slug: 'stationery',
    name: 'Books & Stationery',
    aisles: [
      {
        slug: 'books',
        name: 'Books',
        code: 'BOK',
        options: 'single',
        modifiers: [
          { name: 'Hardback', blurb: 'Cloth-bound, with a ribbon marker.', priceFactor: 1 },
          { name: 'Paperback', blurb: 'A sewn paperback that lies open.', priceFactor: 0.6 },
          { name: 'Signed', blurb: 'A hardback signed by its author.', priceFactor: 1.5 },
        ],
        items: [
          {
            name: 'Kitchen Garden Cookbook',
            blurb: 'Ninety recipes from one small vegetable plot.',
            basePrice: 3000,
          },
          {
            name: 'Field Guide to Trees',
            blurb: 'Every native tree by leaf, bark and seed.',
            basePrice: 2500,
          },
          { name: 'Walking Atlas', blurb: 'Fifty long walks, mapped.', basePrice: 3500 },
          {
            name: 'Notebook of Hours',
            blurb: 'A novel told in a lighthouse keeper’s logbook.',
            basePrice: 1800,
          },
        ],
      },
      {
        slug: 'pens-desk',
        name: 'Pens & Desk',
        code: 'PEN',
        options: 'colours',
        modifiers: [
          { name: 'Aluminium', blurb: 'Anodised aluminium, light and tough.', priceFactor: 1.2 },
          { name: 'Walnut', blurb: 'Turned from American black walnut.', priceFactor: 1.4 },
          { name: 'Recycled', blurb: 'Made from recycled plastic.', priceFactor: 0.7 },
        ],
        items: [
          { name: 'Fountain Pen', blurb: 'A medium steel nib with a converter.', basePrice: 4900 },
          {
            name: 'Ballpoint Pen',
            blurb: 'A twist-action pen with a refillable cartridge.',
            basePrice: 2400,
          },
          {
            name: 'Desk Organiser',
            blurb: 'Three compartments for pens and clips.',
            basePrice: 3400,
          },
          { name: 'Pencil Case', blurb: 'A zip case that holds a dozen pens.', basePrice: 1900 },
        ],
      },
    ],
  },
  {
    slug: 'toys-games',
    name: 'Toys & Games',
    aisles: [
      {
        slug: 'board-games',
        name: 'Board Games',
        code: 'BRD',
        options: 'single',
        modifiers: [
          { name: 'Family', blurb: 'Quick to learn for ages 8 and up.', priceFactor: 1 },
          { name: 'Strategy', blurb: 'Deep choices for ages 12 and up.', priceFactor: 1.3 },
          { name: 'Travel', blurb: 'A compact edition with magnetic pieces.', priceFactor: 0.7 },
        ],
        items: [
          { name: 'Chess Set', blurb: 'Weighted pieces and a folding board.', basePrice: 4900 },
          {
            name: 'Tile Game',
            blurb: 'Draw and place tiles to build a landscape.',
            basePrice: 3900,
          },
          {
            name: 'Card Game',
            blurb: 'A fast trick-taking game for three to six players.',
            basePrice: 1900,
          },
          { name: 'Dice Game', blurb: 'Roll, bank and push your luck.', basePrice: 2400 },
        ],
      },
      {
        slug: 'puzzles',
        name: 'Puzzles & Building',
        code: 'PZL',
        options: 'single',
        modifiers: [
          { name: 'Wooden', blurb: 'Laser-cut birch plywood pieces.', priceFactor: 1.3 },
          {
            name: 'Classic',
            blurb: 'Thick, blue-backed card pieces that lock firmly.',
            priceFactor: 1,
          },
          { name: 'Mini', blurb: 'A small format that finishes in an evening.', priceFactor: 0.6 },
        ],
        items: [
          {
            name: 'Jigsaw Puzzle',
            blurb: '1000 pieces with a poster of the finished picture.',
            basePrice: 2900,
          },
          {
            name: 'Building Blocks',
            blurb: 'A 120-piece set of interlocking blocks.',
            basePrice: 3900,
          },
          {
            name: 'Marble Run',
            blurb: 'Tracks, funnels and a loop to rebuild again and again.',
            basePrice: 4900,
          },
          {
            name: 'Puzzle Box',
            blurb: 'A box that opens only in the right sequence.',
            basePrice: 3400,
          },
        ],
      },
    ],
  },
  {
    slug: 'beauty',
    name: 'Beauty',
    aisles: [
      {
        slug: 'skincare',
        name: 'Skincare',
        code: 'SKN',
        options: 'single',
        modifiers: [
          {
            name: 'Hydrating',
            blurb: 'With hyaluronic acid for all-day moisture.',
            priceFactor: 1,
          },
          { name: 'Calming', blurb: 'With oat and centella for sensitive skin.', priceFactor: 1.1 },
          { name: 'Brightening', blurb: 'With vitamin C for an even tone.', priceFactor: 1.25 },
        ],
        items: [
          { name: 'Face Cream', blurb: 'A 50 ml fragrance-free day cream.', basePrice: 2900 },
          { name: 'Serum', blurb: 'A 30 ml lightweight serum.', basePrice: 3400 },
          { name: 'Cleanser', blurb: 'A 150 ml gentle gel cleanser.', basePrice: 1900 },
          { name: 'Lip Balm', blurb: 'A 15 ml balm in a recyclable tin.', basePrice: 900 },
        ],
      },
      {
        slug: 'bath',
        name: 'Bath',
        code: 'BTH',
        options: 'single',
        modifiers: [
          { name: 'Lavender', blurb: 'Scented with French lavender oil.', priceFactor: 1 },
          { name: 'Cedar', blurb: 'A woody blend of cedar and vetiver.', priceFactor: 1.1 },
          { name: 'Unscented', blurb: 'Free of fragrance and colourants.', priceFactor: 0.9 },
        ],
        items: [
          { name: 'Bar Soap', blurb: 'A 120 g cold-process soap bar.', basePrice: 800 },
          { name: 'Bath Salts', blurb: 'A 500 g jar of magnesium-rich salts.', basePrice: 1900 },
          { name: 'Body Wash', blurb: 'A 300 ml sulphate-free body wash.', basePrice: 1400 },
          { name: 'Hand Cream', blurb: 'A 75 ml fast-absorbing hand cream.', basePrice: 1200 },
        ],
      },
    ],
  },
  {
    slug: 'sports',
    name: 'Sports & Fitness',
    aisles: [
      {
        slug: 'yoga',
        name: 'Yoga',
        code: 'YGA',
        options: 'colours',
        modifiers: [
          {
            name: 'Cork',
            blurb: 'Natural cork that grips better when you sweat.',
            priceFactor: 1.2,
          },
          {
            name: 'Natural Rubber',
            blurb: 'Tree rubber with a dense, stable feel.',
            priceFactor: 1.1,
          },
          { name: 'Travel', blurb: 'Thin and foldable for the suitcase.', priceFactor: 0.8 },
        ],
        items: [
          { name: 'Yoga Mat', blurb: 'A 183 × 61 cm mat, 4 mm thick.', basePrice: 5900 },
          { name: 'Yoga Block', blurb: 'A firm block for support and alignment.', basePrice: 1900 },
          {
            name: 'Mat Strap',
            blurb: 'A cotton strap for carrying and stretching.',
            basePrice: 1400,
          },
          {
            name: 'Meditation Cushion',
            blurb: 'A buckwheat-filled cushion with a washable cover.',
            basePrice: 4900,
          },
        ],
      },
      {
        slug: 'cycling',
        name: 'Cycling',
        code: 'CYC',
        options: 'colours',
        modifiers: [
          { name: 'Commuter', blurb: 'Reflective details for dark evenings.', priceFactor: 1 },
          { name: 'Gravel', blurb: 'Tough enough for unpaved roads.', priceFactor: 1.2 },
          { name: 'Race', blurb: 'Light and aerodynamic.', priceFactor: 1.45 },
        ],
        items: [
          { name: 'Helmet', blurb: 'An in-moulded helmet with a fit dial.', basePrice: 8900 },
          {
            name: 'Bike Light Set',
            blurb: 'USB-rechargeable front and rear lights.',
            basePrice: 4900,
          },
          { name: 'Saddle Bag', blurb: 'A 1 litre bag for a tube and tools.', basePrice: 2900 },
          {
            name: 'Cycling Gloves',
            blurb: 'Padded palms and touchscreen fingertips.',
            basePrice: 3400,
          },
        ],
      },
    ],
  },
];
