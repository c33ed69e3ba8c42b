import { Link, NavLink, useNavigate } from 'react-router';
import { useCart } from '../cart';
import { useSession } from '../session';

export function Account() {
  const { user, signOut } = useSession();
  const { reload } = useCart();
  const navigate = useNavigate();
  if (!user) return <Link to="/signin">Sign in</Link>;
  return (
    <>
      <NavLink to="/orders">Orders</NavLink>
      {user.role === 'admin' && <NavLink to="/admin">Admin</NavLink>}
      <button
        type="button"
        className="link"
        onClick={async () => {
          await signOut();
          await reload();
          navigate('/');
        }}
      >
        Sign out {user.name}
      </button>
    </>
  );
}
