import { lazy, StrictMode, Suspense } from 'react';
import { createRoot } from 'react-dom/client';
import { BrowserRouter, Link, NavLink, Route, Routes, useSearchParams } from 'react-router';
import { CartProvider, useCart } from './cart';
import { useCategories } from './categories';
import { SignIn, SignUp, VerifyEmail } from './pages/Account';
import { Account } from './pages/AccountMenu';
import { CartPage } from './pages/CartPage';
import { Catalog } from './pages/Catalog';
import { Privacy, ShippingAndReturns, Terms } from './pages/Info';
import { OrderByLink, OrderDetail, Orders } from './pages/Orders';
import { ProductPage } from './pages/Product';
import { RegionPicker } from './region-picker';
import { RouteFocus } from './route-focus';
import { SearchBox } from './search-box';
import { SessionProvider } from './session';
import { Loading } from './ui';
import './styles.css';

// Shoppers never download the back office, and browsers download the checkout only to pay.
const Admin = lazy(() => import('./admin/Admin'));
const Checkout = lazy(() =>
  import('./pages/Checkout').then((module) => ({ default: module.Checkout })),
);

function Shop() {
  const { cart, mergeGuestCart } = useCart();
  return (
    <SessionProvider onSignedIn={mergeGuestCart}>
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <RouteFocus />
      <header className="top">
        <Link to="/" className="brand">
          <img src="/favicon.svg" alt="" width={28} height={28} />
          Bazaar
        </Link>
        <SearchBox />
        <nav aria-label="Main">
          <RegionPicker />
          <NavLink to="/cart">
            Cart{cart && cart.itemCount > 0 ? ` (${cart.itemCount})` : ''}
          </NavLink>
          <Account />
        </nav>
        <Departments />
      </header>
      <main id="main" tabIndex={-1}>
        <Routes>
          <Route path="/" element={<Catalog />} />
          <Route path="/products/:slug" element={<ProductPage />} />
          <Route path="/cart" element={<CartPage />} />
          <Route path="/signin" element={<SignIn />} />
          <Route path="/signup" element={<SignUp />} />
          <Route path="/verify-email" element={<VerifyEmail />} />
          <Route
            path="/checkout"
            element={
              <Suspense fallback={<Loading />}>
                <Checkout />
              </Suspense>
            }
          />
          <Route path="/orders" element={<Orders />} />
          <Route path="/orders/:id" element={<OrderDetail />} />
          <Route path="/order/:token" element={<OrderByLink />} />
          <Route path="/shipping-and-returns" element={<ShippingAndReturns />} />
          <Route path="/privacy" element={<Privacy />} />
          <Route path="/terms" element={<Terms />} />
          <Route
            path="/admin/*"
            element={
              <Suspense fallback={<Loading />}>
                <Admin />
              </Suspense>
            }
          />
          <Route
            path="*"
            element={
              <p>
                There is no such page. <Link to="/">Back to the shop</Link>
              </p>
            }
          />
        </Routes>
      </main>
      <footer className="bottom">
        <nav aria-label="About the shop">
          <Link to="/shipping-and-returns">Shipping and returns</Link>
          <Link to="/privacy">Privacy</Link>
          <Link to="/terms">Terms of sale</Link>
        </nav>
        <p>Questions about an order? Reply to its receipt, and a person answers.</p>
      </footer>
    </SessionProvider>
  );
}

/** The shop's departments under the header, the one being browsed marked. */
function Departments() {
  const departments = useCategories();
  const [params] = useSearchParams();
  const browsed = params.get('category');
  return (
    <nav aria-label="Departments" className="departments-bar">
      <ul>
        {departments.map((department) => (
          <li key={department.slug}>
            <Link
              to={`/?category=${department.slug}`}
              aria-current={
                browsed === department.slug ||
                department.children.some((aisle) => aisle.slug === browsed)
                  ? 'page'
                  : undefined
              }
            >
              {department.name}
            </Link>
          </li>
        ))}
      </ul>
    </nav>
  );
}

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root');
createRoot(root).render(
  <StrictMode>
    {/* Without transitions: filters are inputs bound to the URL, which must follow each click. */}
    <BrowserRouter useTransitions={false}>
      <CartProvider>
        <Shop />
      </CartProvider>
    </BrowserRouter>
  </StrictMode>,
);
