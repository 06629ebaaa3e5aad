// 大字号: a setting of this computer (kept in its local storage) that makes every text and
// control larger, through antd's size tokens and the page's base font size.
import { createContext, useContext, useEffect, useState, type ReactNode } from 'react';
import { ConfigProvider } from 'antd';
import zhCN from 'antd/locale/zh_CN';

const KEY = 'oip.largeText';
const LargeTextContext = createContext<{ large: boolean; setLarge: (v: boolean) => void }>({ large: false, setLarge: () => undefined });

export function useLargeText() {
  return useContext(LargeTextContext);
}

export function LargeTextProvider({ children }: { children: ReactNode }) {
  const [large, setLargeState] = useState(() => localStorage.getItem(KEY) === '1');
  const setLarge = (v: boolean) => {
    localStorage.setItem(KEY, v ? '1' : '0');
    setLargeState(v);
  };
  useEffect(() => {
    document.documentElement.style.fontSize = large ? '17px' : '';
    document.documentElement.dataset.largeText = large ? '1' : '0';
  }, [large]);
  return (
    <LargeTextContext.Provider value={{ large, setLarge }}>
      <ConfigProvider
        locale={zhCN}
        button={{ autoInsertSpace: false }}
        theme={{ token: { colorPrimary: '#1f5fa8', borderRadius: 4, fontSize: large ? 17 : 14, controlHeight: large ? 38 : 32 } }}
      >
        {children}
      </ConfigProvider>
    </LargeTextContext.Provider>
  );
}
