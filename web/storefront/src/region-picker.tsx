import type { Region } from '@bazaar/contracts/shop-api';
import { useCart } from './cart';
import { Problem, useAction, useApi } from './ui';

/** The region, and so the currency and tax, the shop's prices are shown in. */
export function RegionPicker() {
  const regions = useApi<{ items: Region[] }>('/api/regions');
  const { region, choose } = useCart();
  const change = useAction((id: string) => choose({ region: id }));
  // Rendered before the regions arrive, so the header does not move when they do.
  const items = regions.data?.items ?? [];
  return (
    <>
      <label className="region">
        <span className="visually-hidden">Region and currency</span>
        <select
          value={region ?? items[0]?.id ?? ''}
          disabled={change.busy || items.length === 0}
          onChange={(event) => void change.run(event.target.value)}
        >
          {items.map((item) => (
            <option key={item.id} value={item.id}>
              {item.name} ({item.currency})
            </option>
          ))}
        </select>
      </label>
      <Problem error={change.error} />
    </>
  );
}
