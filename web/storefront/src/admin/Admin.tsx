import { Navigate, NavLink, Route, Routes } from 'react-router';
import { useSession } from '../session';
import { Problem, usePageTitle } from '../ui';
import { EditProduct } from './EditProduct';
import { Notifications } from './Notifications';
import { AdminOrders } from './Orders';
import { Products } from './Products';
import { Promotions } from './Promotions';
import { Regions } from './Regions';
import { AdminReturns } from './Returns';
import { Stock } from './Stock';
import { Webhooks } from './Webhooks';

/** The back office's screens, each a tab, in the tabs' order. */
const screens = [
  { path: 'products', name: 'Products', element: <Products /> },
  { path: 'stock', name: 'Stock', element: <Stock /> },
  { path: 'orders', name: 'Orders', element: <AdminOrders /> },
  { path: 'returns', name: 'Returns', element: <AdminReturns /> },
  { path: 'promotions', name: 'Promotions', element: <Promotions /> },
  { path: 'regions', name: 'Regions and tax', element: <Regions /> },
  { path: 'notifications', name: 'Notifications', element: <Notifications /> },
  { path: 'webhooks', name: 'Webhooks', element: <Webhooks /> },
];

/** The shop's back office: only for the `admin` role. Loaded on its own, never by shoppers. */
export default function Admin() {
  const { user } = useSession();
  if (!user) return <Navigate to="/signin?next=/admin" replace />;
  if (user.role !== 'admin')
    return <Problem error={new Error('This part of the shop is for its staff.')} />;
  return (
    <section className="admin">
      <nav className="tabs" aria-label="Admin">
        {screens.map((screen) => (
          <NavLink key={screen.path} to={`/admin/${screen.path}`}>
            {screen.name}
          </NavLink>
        ))}
      </nav>
      <Routes>
        <Route index element={<Navigate to="products" replace />} />
        {screens.map((screen) => (
          <Route
            key={screen.path}
            path={screen.path}
            element={<Screen name={screen.name}>{screen.element}</Screen>}
          />
        ))}
        <Route path="products/:id" element={<EditProduct />} />
      </Routes>
    </section>
  );
}

/** A screen under its heading, its name in the browser tab. */
function Screen({ name, children }: { name: string; children: React.ReactNode }) {
  usePageTitle(`${name} · Back office`);
  return (
    <>
      <h1>{name}</h1>
      {children}
    </>
  );
}
