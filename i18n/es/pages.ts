/** The card/bank frame, the pay page's chrome and the unsubscribe page: Spanish, the same keys as the English. */
import type { PageWords } from '../en/pages.js';

export const pages: PageWords = {
  frameTitle: 'Datos de pago',
  frame_number: 'Número de tarjeta', frame_exp: 'Vencimiento (MM/AA)', frame_month: 'Mes de vencimiento', frame_year: 'Año de vencimiento', frame_cvc: 'Código de seguridad', frame_zip: 'Código postal de facturación',
  frame_routing: 'Número de ruta', frame_account: 'Número de cuenta', frame_type: 'Tipo de cuenta', frame_checking: 'Corriente', frame_savings: 'Ahorros', frame_holder: 'Titular de la cuenta',
  frame_save: 'Guardar para pagos futuros', frame_useCard: 'Usar esta tarjeta', frame_useBank: 'Usar esta cuenta bancaria', frame_working: 'Verificando…', frame_saved: 'Guardado.',
  frame_secure: 'Sus datos van directamente al procesador de pagos; este sitio nunca los ve.', frame_expired: 'Su sesión expiró. Comience de nuevo.',
  frame_network: 'Falló la conexión. Revísela e inténtelo de nuevo.',
  frame_fixCvc: 'Escriba otra vez el código de seguridad de {card}. El número de tarjeta se conserva.', frame_fixExpiry: 'Escriba otra vez el vencimiento de {card}. El número de tarjeta se conserva.', frame_otherCard: 'Usar otra tarjeta',
  pageTitle: 'Pague su factura — {agency}',
  pageHeading: 'Pague su factura en línea',
  pageIntro: 'Use el enlace de nuestra carta, correo o mensaje de texto, o busque su cuenta con su número de cuenta, fecha de nacimiento y código postal.',
  pageSwitchTo: 'Español',
  pageNotice: '{agency} es un cobrador de deudas. Esto es un intento de cobrar una deuda; cualquier información obtenida se usará con ese fin.',
  unsubscribedTitle: 'Suscripción cancelada', unsubscribedHeading: 'Canceló su suscripción',
  unsubscribedBody: 'No enviaremos más correos a {recipient}. Los documentos que debemos enviarle llegarán en papel por correo postal.',
};
