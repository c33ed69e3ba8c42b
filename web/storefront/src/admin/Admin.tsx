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

/** The shop's back office: only for the `admin` role. Loaded on its own, never by shoppers. */
export default function Admin() {
  usePageTitle('Back office');
  const { user } = useSession();
  if (!user) return <Navigate to="/signin?next=/admin" replace />;
  if (user.role !== 'admin')
    return <Problem error={new Error('This part of the shop is for its staff.')} />;
  return (
    <section className="admin">
      <nav className="tabs" aria-label="Admin">
        <NavLink to="/admin/products">Products</NavLink>
        <NavLink to="/admin/stock">Stock</NavLink>
        <NavLink to="/admin/orders">Orders</NavLink>
        <NavLink to="/admin/returns">Returns</NavLink>
        <NavLink to="/admin/promotions">Promotions</NavLink>
        <NavLink to="/admin/regions">Regions and tax</NavLink>
        <NavLink to="/admin/notifications">Notifications</NavLink>
        <NavLink to="/admin/webhooks">Webhooks</NavLink>
      </nav>
      <Routes>
        <Route index element={<Navigate to="products" replace />} />
        <Route path="products" element={<Products />} />
        <Route path="products/:id" element={<EditProduct />} />
        <Route path="stock" element={<Stock />} />
        <Route path="orders" element={<AdminOrders />} />
        <Route path="returns" element={<AdminReturns />} />
        <Route path="promotions" element={<Promotions />} />
        <Route path="regions" element={<Regions />} />
        <Route path="notifications" element={<Notifications />} />
        <Route path="webhooks" element={<Webhooks />} />
      </Routes>
    </section>
  );
}
