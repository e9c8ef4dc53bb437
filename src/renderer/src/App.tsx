import { Center, Loader } from '@mantine/core';
import { useSession } from './api/hooks';
import { AlertToasts } from './components/AlertToasts';
import { Console } from './screens/Console';
import { Login } from './screens/Login';

export function App() {
  const session = useSession();
  if (session.isPending) return <Center h="100vh"><Loader /></Center>;
  return (
    <>
      <AlertToasts />
      {session.data ? <Console session={session.data} /> : <Login />}
    </>
  );
}
