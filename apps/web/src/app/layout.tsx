import type { ReactNode } from "react";
import { Providers } from "@/lib/trpc";
import "./globals.css";

export const metadata = { title: "Drover" };

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body className="min-h-screen bg-slate-50 text-slate-900">
        <Providers>{children}</Providers>
      </body>
    </html>
  );
}
